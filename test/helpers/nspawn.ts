// Debian 12 test hosts with systemd (systemd-nspawn guests from test/hosts/), shaped like sshd.ts's TestHosts.

import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ConnectSpec } from '../../src/transport/types.js';
import { ensurePackages, rootSpec } from './sshd.js';

const run = promisify(execFile);

/** test/hosts: build-base.sh, start.sh, stop.sh (see its README.md). */
export const HOSTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../hosts');

/** A first start may build the base image (2-4 min); give beforeAll this long. */
export const FIRST_START_TIMEOUT_MS = 600_000;

export interface DebianHost {
  /** Inventory name, also the guest's hostname. */
  name: string;
  /** A loopback address of this machine (random 127.x.y.z) forwarded to the guest's sshd. */
  address: string;
  port: number;
  /** Where a test's files go on this host: a whole machine, so '/'. */
  root: string;
  /** root's HOME on the guest (stock Debian dot files). */
  home: string;
  /** The ed25519 entry for a known_hosts file: `[address]:port ssh-ed25519 AAAA...`. */
  knownHostsLine: string;
  /** Entries for all of the guest's host keys (rsa, ecdsa, ed25519). */
  knownHostsLines: string[];
  /** Public ed25519 host key blob, base64. */
  hostKeyBase64: string;
  hostKeyType: string;
  /** The host's state dir on this machine (overlay upper dir, logs). */
  stateDir: string;
  /** The end of the guest's journal (its boot, services, SSH sessions), for failure messages. */
  log(lines?: number): string;
}

export interface DebianHostsOptions {
  /** Keep each host's overlay (its disk) after stop; with the same `set` a later start boots it again. */
  keepState?: boolean;
  /** The base image with python3 (for ansible-playbook comparisons; the default image has it too). */
  withPython?: boolean;
  /** Names the hosts' state dirs and cgroups; default a random one, so parallel test files never collide. */
  set?: string;
  /** Per-start limit for each guest to reach running/degraded (default 180 s). */
  bootTimeoutSec?: number;
}

export interface SshResult {
  rc: number;
  stdout: string;
  stderr: string;
}

export interface DebianHosts {
  hosts: DebianHost[];
  set: string;
  /** Temporary directory with the client key, inventory and known_hosts (removed by stop). */
  dir: string;
  /** The client private key (ed25519, no passphrase) authorized for root on every guest. */
  clientKey: string;
  clientPublicKey: string;
  /** known_hosts with every guest's real host keys. */
  knownHostsFile: string;
  /** INI inventory: group [test] with ansible_host/port/user/key and strict host key checking. */
  inventoryFile: string;
  host(name: string): DebianHost;
  /** A ConnectSpec for a host as root with the test key and known_hosts, strict checking, no ssh config. */
  spec(name: string, extra?: Partial<ConnectSpec>): ConnectSpec;
  /** Runs a shell command on a guest as root with OpenSSH (never reading ~/.ssh/config). */
  ssh(name: string, command: string, opts?: { input?: string; timeoutMs?: number }): Promise<SshResult>;
  /** Reboots a guest (`systemctl reboot`) and resolves once it is running again on the same port. */
  reboot(name: string): Promise<void>;
  /** Halts the guests and removes their processes, cgroups and (unless keepState) overlays. */
  stop(): Promise<void>;
}

interface StartLine {
  name: string;
  address: string;
  port: number;
  stateDir: string;
  hostKeys: string[];
}

/**
 * Why this machine cannot run the nspawn test hosts, or undefined when it can. Installs the host
 * tools first when they are missing (CI installs them up front).
 */
export async function nspawnUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root';
  const tools = { 'systemd-nspawn': 'systemd-container', debootstrap: 'debootstrap', slirp4netns: 'slirp4netns', socat: 'socat', ssh: 'openssh-client' };
  try {
    await ensurePackages(tools);
  } catch (e) {
    return `cannot install ${Object.values(tools).join(' ')}: ${String(e).split('\n')[0]}`;
  }
  const missing = Object.keys(tools).filter((t) => !['/usr/bin', '/usr/sbin', '/bin', '/sbin'].some((d) => existsSync(join(d, t))));
  if (missing.length > 0) return `${missing.join(', ')} missing after apt-get install`;
  if (!existsSync('/sys/fs/cgroup/unified') && !existsSync('/sys/fs/cgroup/cgroup.controllers')) return 'no cgroup v2 hierarchy';
  return undefined;
}

/** Builds (or finds cached) the base image; returns its root directory. Concurrent callers share one build. */
export async function buildDebianBase(opts: { withPython?: boolean } = {}): Promise<string> {
  const args = opts.withPython === false ? ['--without-python'] : ['--with-python'];
  const { stdout } = await runScript('build-base.sh', args, FIRST_START_TIMEOUT_MS);
  return stdout.trim();
}

/** stop.sh arguments of the sets this process started and has not stopped yet. */
const running = new Map<string, string[]>();
let exitHookInstalled = false;
let orphansSwept: Promise<void> | undefined;

/** Starts n hosts (h1, h2, ...) or the named ones, in parallel; resolves once all are running. */
export async function startDebianHosts(hostsOrNames: number | string[], opts: DebianHostsOptions = {}): Promise<DebianHosts> {
  const names = typeof hostsOrNames === 'number' ? Array.from({ length: hostsOrNames }, (_, i) => `h${i + 1}`) : hostsOrNames;
  const set = opts.set ?? `t${Math.random().toString(16).slice(2, 10)}`;
  const dir = mkdtempSync(join(tmpdir(), 'sams-nspawn-'));
  const clientKey = join(dir, 'client_ed25519');
  const stopArgs = ['--set', set, ...(opts.keepState ? ['--keep'] : []), ...names];
  running.set(set, stopArgs);
  installExitHook();
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      try {
        await runScript('stop.sh', stopArgs, 120_000);
        running.delete(set);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    })());

  try {
    // Hosts whose test run was killed before it could stop them.
    await (orphansSwept ??= runScript('stop.sh', ['--orphans'], 120_000).then(() => {}));
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'sams-test-client', '-f', clientKey]);
    const clientPublicKey = readFileSync(`${clientKey}.pub`, 'utf8').trim();
    const startArgs = ['--set', set, '--key', clientKey, '--address', 'random', opts.withPython === false ? '--without-python' : '--with-python'];
    // Kept hosts are meant to outlive this process; the others are swept as orphans once it is gone.
    if (!opts.keepState) startArgs.push('--owner', String(process.pid));
    if (opts.bootTimeoutSec) startArgs.push('--timeout', String(opts.bootTimeoutSec));
    const { stdout } = await runScript('start.sh', [...startArgs, ...names], FIRST_START_TIMEOUT_MS);
    const lines = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as StartLine);

    const hosts = lines.map((l): DebianHost => {
      const knownHostsLines = l.hostKeys.map((k) => `[${l.address}]:${l.port} ${k}`);
      const ed = l.hostKeys.find((k) => k.startsWith('ssh-ed25519 ')) ?? l.hostKeys[0]!;
      const [hostKeyType, hostKeyBase64] = ed.split(' ') as [string, string];
      return {
        name: l.name,
        address: l.address,
        port: l.port,
        root: '/',
        home: '/root',
        knownHostsLine: `[${l.address}]:${l.port} ${ed}`,
        knownHostsLines,
        hostKeyBase64,
        hostKeyType,
        stateDir: l.stateDir,
        log: (n = 100) => guestJournal(l.stateDir, n),
      };
    });
    if (hosts.length !== names.length) throw new Error(`start.sh reported ${hosts.length} of ${names.length} hosts:\n${stdout}`);

    const knownHostsFile = join(dir, 'known_hosts');
    writeFileSync(knownHostsFile, hosts.flatMap((h) => h.knownHostsLines).join('\n') + '\n');
    const inventoryFile = join(dir, 'inventory.ini');
    writeFileSync(
      inventoryFile,
      '[test]\n' +
        hosts
          .map((h) => `${h.name} ansible_host=${h.address} ansible_port=${h.port} ansible_user=root ansible_ssh_private_key_file=${clientKey}`)
          .join('\n') +
        `\n\n[test:vars]\nansible_ssh_common_args='-o UserKnownHostsFile=${knownHostsFile} -o StrictHostKeyChecking=yes'\n`,
    );

    const byName = new Map(hosts.map((h) => [h.name, h]));
    const host = (name: string) => {
      const h = byName.get(name);
      if (!h) throw new Error(`no Debian test host ${name}`);
      return h;
    };
    const ssh = (name: string, command: string, o: { input?: string; timeoutMs?: number } = {}) => {
      const h = host(name);
      return sshRun([...sshOptions(clientKey, knownHostsFile), '-p', String(h.port), `root@${h.address}`, '--', command], o.input, o.timeoutMs ?? 120_000);
    };
    return {
      hosts,
      set,
      dir,
      clientKey,
      clientPublicKey,
      knownHostsFile,
      inventoryFile,
      host,
      spec: (name, extra = {}) => rootSpec(name, host(name), clientKey, knownHostsFile, 10_000, extra),
      ssh,
      reboot: async (name) => {
        const h = host(name);
        const boots = () => Number(readFileSync(join(h.stateDir, 'boots'), 'utf8'));
        const before = boots();
        // The connection drops as the guest goes down: ssh's exit status says nothing here.
        await ssh(name, 'systemctl reboot', { timeoutMs: 30_000 });
        const deadline = Date.now() + 120_000;
        for (;;) {
          if (boots() > before) {
            const r = await ssh(name, 'systemctl is-system-running --wait', { timeoutMs: 60_000 });
            if (/^(running|degraded)$/m.test(r.stdout)) return;
          }
          if (Date.now() > deadline) throw new Error(`${name} did not come back within 120 s after reboot:\n${h.log()}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      },
      stop,
    };
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}

function guestJournal(stateDir: string, lines: number): string {
  try {
    return execFileSync('journalctl', ['-D', join(stateDir, 'upper/var/log/journal'), '--no-pager', '-q', '-n', String(lines)], { encoding: 'utf8' });
  } catch (e) {
    return `(no journal: ${String(e).split('\n')[0]})`;
  }
}

/** A test runner that exits without calling stop() (a timeout, process.exit) still stops its hosts. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const args of running.values()) {
      try {
        execFileSync(join(HOSTS_DIR, 'stop.sh'), args, { stdio: 'ignore', timeout: 60_000 });
      } catch {
        // Nothing more can be done while exiting; stop.sh --orphans sweeps them later.
      }
    }
  });
}

/** OpenSSH client options that ignore every config file and agent of the control node. */
export function sshOptions(clientKey: string, knownHostsFile: string): string[] {
  return [
    '-F', '/dev/null',
    '-o', 'BatchMode=yes',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'IdentityAgent=none',
    '-i', clientKey,
    '-o', `UserKnownHostsFile=${knownHostsFile}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'ConnectTimeout=10',
    '-o', 'LogLevel=ERROR',
  ];
}

function sshRun(args: string[], input: string | undefined, timeoutMs: number): Promise<SshResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('ssh', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ rc: code ?? (signal ? -1 : 0), stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** Runs a test/hosts script; rejects with its stderr (which carries the guests' log tails) on failure. */
function runScript(script: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(join(HOSTS_DIR, script), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise({ stdout, stderr });
      else reject(new Error(`test/hosts/${script} ${args.join(' ')} exited ${code}:\n${stderr}${stdout}`));
    });
  });
}
