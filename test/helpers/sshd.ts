// Test hosts: real OpenSSH servers on loopback with throwaway keys, an inventory and a known_hosts file.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ConnectSpec } from '../../src/transport/types.js';

const run = promisify(execFile);

export const SSHD = '/usr/sbin/sshd';
/** Users the client key is authorized for, on every test host (see ensureTestUsers). */
export const TEST_USERS = ['root', 'samsuser', 'samspw'] as const;
/** samspw's login and sudo password. */
export const SAMSPW_PASSWORD = 'sams-Test-pw-7';

export interface TestHost {
  /** Inventory name: h1, h2, ... (or opts.names). */
  name: string;
  address: string;
  port: number;
  /** A directory on this host for the files a test manages. */
  root: string;
  /** HOME of root's sessions on this host (with /etc/skel dot files). */
  home: string;
  /** This host's entry for a known_hosts file: `[address]:port ssh-ed25519 AAAA...`. */
  knownHostsLine: string;
  /** Public host key blob, base64 (the second field of the .pub file). */
  hostKeyBase64: string;
  /** Its type as known_hosts names it: ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa. */
  hostKeyType: string;
  hostKeyFile: string;
  configFile: string;
  /** sshd's log so far (stderr, -e). */
  log(): string;
  pid: number;
}

export interface TestHostsOptions {
  names?: string[];
  /** Extra sshd_config text per host, placed first (sshd keeps the first value of a keyword). */
  extraConfig?: string | ((name: string, index: number) => string);
  /** PAM + keyboard-interactive instead of plain password authentication. */
  keyboardInteractive?: boolean;
  logLevel?: 'INFO' | 'VERBOSE' | 'DEBUG1';
  /** Host key type for every host (default ed25519; rsa keys take longer to generate). */
  hostKeyType?: 'ed25519' | 'ecdsa' | 'rsa';
}

export interface TestHosts {
  hosts: TestHost[];
  /** Temporary directory holding everything (removed by stop). */
  dir: string;
  /** The client private key (ed25519, no passphrase) authorized for TEST_USERS. */
  clientKey: string;
  clientPublicKey: string;
  /** known_hosts with every host's key. */
  knownHostsFile: string;
  /** INI inventory: group [test] with ansible_host/port/user/key and the known_hosts file. */
  inventoryFile: string;
  host(name: string): TestHost;
  /** A ConnectSpec for a host as root with the test key and known_hosts, strict checking, no ssh config. */
  spec(name: string, extra?: Partial<ConnectSpec>): ConnectSpec;
  stop(): Promise<void>;
}

/** Starts n sshd servers in parallel, each on its own 127.x.y.z address and a free port. */
export async function startTestHosts(n: number, opts: TestHostsOptions = {}): Promise<TestHosts> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'sams-sshd-'));
  // sshd reads authorized_keys as the target user, so the tree must be traversable by everyone.
  chmodSync(dir, 0o755);
  const clientKey = join(dir, 'client_ed25519');
  const authDir = join(dir, 'authorized_keys');
  mkdirSync(authDir);
  const names = opts.names ?? Array.from({ length: n }, (_, i) => `h${i + 1}`);
  if (names.length !== n) throw new Error(`startTestHosts: ${n} hosts but ${names.length} names`);

  const procs: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(procs.map((p) => stopProcess(p)));
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const [, ...hostKeys] = await Promise.all([
      keygen(clientKey, 'sams-test-client'),
      ...names.map((name) => {
        mkdirSync(join(dir, 'hosts', name), { recursive: true });
        return keygen(join(dir, 'hosts', name, 'ssh_host_key'), `host-${name}`, opts.hostKeyType ?? 'ed25519');
      }),
    ]);
    const clientPublicKey = readFileSync(`${clientKey}.pub`, 'utf8').trim();
    for (const u of TEST_USERS) writeFileSync(join(authDir, u), clientPublicKey + '\n', { mode: 0o644 });

    const addresses = uniqueLoopbackAddresses(n);
    const hosts = await Promise.all(
      names.map(async (name, i) => {
        const hdir = join(dir, 'hosts', name);
        const address = addresses[i]!;
        const home = join(hdir, 'home');
        const root = join(hdir, 'files');
        mkdirSync(root, { recursive: true });
        cpSync('/etc/skel', home, { recursive: true });
        chmodSync(home, 0o755);
        const hostKeyFile = join(hdir, 'ssh_host_key');
        const [hostKeyType, hostKeyBase64] = hostKeys[i]!.split(/\s+/) as [string, string];
        const extra = typeof opts.extraConfig === 'function' ? opts.extraConfig(name, i) : (opts.extraConfig ?? '');
        // A free port can be taken by someone else between probe and bind: retry a few times.
        for (let attempt = 0; ; attempt++) {
          const port = await freePort(address);
          const configFile = join(hdir, 'sshd_config');
          writeFileSync(configFile, sshdConfig({ address, port, hostKeyFile, hdir, authDir, home, extra, opts }));
          try {
            const { proc, log } = await launchSshd(configFile);
            procs.push(proc);
            const host: TestHost = {
              name,
              address,
              port,
              root,
              home,
              hostKeyFile,
              hostKeyBase64,
              configFile,
              hostKeyType,
              knownHostsLine: `[${address}]:${port} ${hostKeyType} ${hostKeyBase64}`,
              log,
              pid: proc.pid!,
            };
            return host;
          } catch (e) {
            if (attempt >= 3 || !/Address already in use|Bind to port/.test(String(e))) throw e;
          }
        }
      }),
    );

    const knownHostsFile = join(dir, 'known_hosts');
    writeFileSync(knownHostsFile, hosts.map((h) => h.knownHostsLine).join('\n') + '\n');
    const inventoryFile = join(dir, 'inventory.ini');
    writeFileSync(
      inventoryFile,
      '[test]\n' +
        hosts
          .map(
            (h) =>
              `${h.name} ansible_host=${h.address} ansible_port=${h.port} ansible_user=root ansible_ssh_private_key_file=${clientKey}`,
          )
          .join('\n') +
        `\n\n[test:vars]\nansible_ssh_common_args='-o UserKnownHostsFile=${knownHostsFile} -o StrictHostKeyChecking=yes'\n`,
    );

    const byName = new Map(hosts.map((h) => [h.name, h]));
    const host = (name: string) => {
      const h = byName.get(name);
      if (!h) throw new Error(`no test host ${name}`);
      return h;
    };
    return {
      hosts,
      dir,
      clientKey,
      clientPublicKey,
      knownHostsFile,
      inventoryFile,
      host,
      spec: (name, extra = {}) => rootSpec(name, host(name), clientKey, knownHostsFile, 5000, extra),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

function sshdConfig(o: {
  address: string;
  port: number;
  hostKeyFile: string;
  hdir: string;
  authDir: string;
  home: string;
  extra: string;
  opts: TestHostsOptions;
}): string {
  const kbd = o.opts.keyboardInteractive === true;
  // sshd keeps the first value of a keyword, so the extra text comes first and can override ours.
  return `# sams test host
${o.extra}
ListenAddress ${o.address}:${o.port}
HostKey ${o.hostKeyFile}
PidFile ${join(o.hdir, 'sshd.pid')}
AuthorizedKeysFile ${o.authDir}/%u
PermitRootLogin yes
StrictModes no
UsePAM ${kbd ? 'yes' : 'no'}
KbdInteractiveAuthentication ${kbd ? 'yes' : 'no'}
PasswordAuthentication ${kbd ? 'no' : 'yes'}
AllowTcpForwarding yes
UseDNS no
PrintMotd no
PrintLastLog no
MaxStartups 200
LogLevel ${o.opts.logLevel ?? 'INFO'}
Subsystem sftp /usr/lib/openssh/sftp-server
# root's real ~/.bashrc may run slow init (pyenv); sessions get a clean HOME instead.
Match User root
  SetEnv HOME=${o.home}
`;
}

async function keygen(path: string, comment: string, type: 'ed25519' | 'ecdsa' | 'rsa' = 'ed25519'): Promise<string> {
  await run('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', comment, '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

/** Distinct random addresses in 127.0.0.0/8 (not 127.0.0.1), so parallel test files do not collide. */
function uniqueLoopbackAddresses(n: number): string[] {
  const seen = new Set<string>();
  while (seen.size < n) {
    const b = () => 1 + Math.floor(Math.random() * 254);
    const a = `127.${b()}.${b()}.${b()}`;
    if (a !== '127.0.0.1') seen.add(a);
  }
  return [...seen];
}

export function freePort(address = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, address, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Runs sshd -D -e and resolves once it listens; rejects with its log if it exits first. */
function launchSshd(configFile: string): Promise<{ proc: ChildProcess; log: () => string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(SSHD, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    let ready = false;
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`sshd (${configFile}) did not start within 5 s:\n${log}`));
    }, 5000);
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (chunk: string) => {
      // Keep the log bounded: long test runs with DEBUG1 logging would otherwise grow without limit.
      log = (log + chunk).slice(-200_000);
      if (!ready && log.includes('Server listening on')) {
        ready = true;
        clearTimeout(timer);
        resolve({ proc, log: () => log });
      }
    });
    proc.once('exit', (code, signal) => {
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`sshd (${configFile}) exited (${code ?? signal}) before listening:\n${log}`));
      }
    });
    proc.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** Stops an sshd and the per-connection sshd processes it forked (sessions outlive the listener otherwise). */
async function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  await run('pkill', ['-TERM', '-P', String(p.pid)]).catch(() => {});
  await new Promise<void>((resolve) => {
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
  });
}

/** Installs Debian packages when a test needs a tool the machine lacks (CI installs them up front). */
export async function ensurePackages(commands: Record<string, string>): Promise<void> {
  const missing = Object.entries(commands)
    .filter(([cmd]) => !['/usr/bin', '/usr/sbin', '/bin', '/sbin'].some((d) => existsSync(join(d, cmd))))
    .map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/**
 * Creates (once) the become-test users: samsuser (sudo without password) and samspw (sudo with
 * SAMSPW_PASSWORD, which is also its login password). The test client key is authorized for both
 * by startTestHosts (AuthorizedKeysFile .../%u).
 */
export function ensureTestUsers(): Promise<void> {
  return (usersReady ??= withLock(join(tmpdir(), 'sams-test-users.lock'), setUpTestUsers));
}
let usersReady: Promise<void> | undefined;

async function setUpTestUsers(): Promise<void> {
  await ensurePackages({ sudo: 'sudo' });
  for (const user of ['samsuser', 'samspw']) {
    const exists = await run('id', ['-u', user]).then(
      () => true,
      () => false,
    );
    if (!exists) await run('useradd', ['-m', '-s', '/bin/bash', user]);
  }
  // useradd leaves the password locked ('!'), and sshd without PAM refuses locked accounts even
  // for key logins; '*' means "no password" without the lock.
  await run('usermod', ['-p', '*', 'samsuser']);
  await new Promise<void>((resolve, reject) => {
    const p = spawn('chpasswd', [], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr!.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`chpasswd failed: ${err}`))));
    p.stdin!.end(`samspw:${SAMSPW_PASSWORD}\n`);
  });
  const sudoers = '/etc/sudoers.d/sams-test';
  const want = 'samsuser ALL=(ALL:ALL) NOPASSWD: ALL\nsamspw ALL=(ALL:ALL) ALL\n';
  if (!existsSync(sudoers) || readFileSync(sudoers, 'utf8') !== want) writeFileSync(sudoers, want, { mode: 0o440 });
}

/** Runs fn holding a lock directory: test files run in parallel, and useradd/chpasswd/apt-get lock files of their own. */
async function withLock(dir: string, fn: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      mkdirSync(dir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock left by a killed run is stale after a minute.
      const st = statSync(dir, { throwIfNoEntry: false });
      if (st && Date.now() - st.mtimeMs > 60_000) rmSync(dir, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A ConnectSpec for a test host as root with the test key and known_hosts, strict checking, no ssh config. */
export function rootSpec(name: string, h: { address: string; port: number }, clientKey: string, knownHostsFile: string, connectTimeoutMs: number, extra: Partial<ConnectSpec> = {}): ConnectSpec {
  return {
    name,
    connection: 'ssh',
    host: h.address,
    port: h.port,
    user: 'root',
    keyFiles: [clientKey],
    identitiesOnly: true,
    hostKeyChecking: 'strict',
    knownHostsFiles: [knownHostsFile],
    connectTimeoutMs,
    sshConfigFile: false,
    ...extra,
  };
}
