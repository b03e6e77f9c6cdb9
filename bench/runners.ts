// Runs one playbook with sams or ansible-playbook, timed, and reads back the recap and sshd's session counts.

import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { recap } from '../test/helpers/run-cli.js';
import type { TestHost } from '../test/helpers/sshd.js';

const run = promisify(execFile);

/** The repository root (this file runs from bench/.build/bench/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The sams being measured: a private copy of the build (see snapshotSams). */
let samsHome = ROOT;
export const samsBin = () => join(samsHome, 'bin/sams');
export const samsDist = () => join(samsHome, 'dist');

/**
 * Copies bin/, dist/ and package.json into dir (node_modules linked) and measures that copy: other
 * people rebuild dist/ in this working tree, and a run must not see half of an old build.
 */
export function snapshotSams(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const p of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  samsHome = dir;
}

export type Tool = 'sams' | 'ansible';
export const TOOLS: readonly Tool[] = ['sams', 'ansible'];

export interface RunResult {
  tool: Tool;
  code: number;
  wallMs: number;
  /** CPU time (user + system) of the command and the children it waited for, from /usr/bin/time. */
  cpuMs: number | null;
  stdout: string;
  stderr: string;
  recap: Record<string, Record<string, number>>;
}

export interface RunContext {
  /** Project directory: playbook, inventory, files/, templates/. */
  dir: string;
  inventory: string;
  forks: number;
  /** Scratch space for the tools' HOMEs and ansible's control sockets. */
  scratch: string;
}

let runSeq = 0;

/** One timed run of the playbook; wall time from spawn to exit, interpreter start-up included. */
export async function runTool(tool: Tool, ctx: RunContext, playbook = 'site.yml'): Promise<RunResult> {
  const seq = ++runSeq;
  const home = join(ctx.scratch, `${tool}-home`);
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' };
  let cmd: string;
  let args: string[];
  let env: Record<string, string>;
  // A control-socket directory per run: ansible's ssh masters persist 60 s (ControlPersist), and a
  // later run reusing them would skip the connection set-up sams always pays. Closed after the run.
  const cpDir = join(ctx.scratch, `cp${seq}`);
  if (tool === 'sams') {
    cmd = process.execPath;
    args = [samsBin(), 'play', playbook, '-i', ctx.inventory, '-f', String(ctx.forks)];
    env = base;
  } else {
    mkdirSync(cpDir, { recursive: true });
    cmd = 'ansible-playbook';
    args = [playbook, '-i', ctx.inventory, '-f', String(ctx.forks)];
    env = {
      ...base,
      ANSIBLE_PIPELINING: 'True',
      ANSIBLE_LOCAL_TEMP: join(home, '.ansible/tmp'),
      ANSIBLE_SSH_CONTROL_PATH_DIR: cpDir,
      ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_RETRY_FILES_ENABLED: '0',
      ANSIBLE_DEPRECATION_WARNINGS: '0',
    };
  }
  mkdirSync(ctx.scratch, { recursive: true });
  const timeFile = join(ctx.scratch, `time${seq}`);
  const started = process.hrtime.bigint();
  const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolvePromise, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, cmd, ...args], { cwd: ctx.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (tool === 'ansible') await closeControlMasters(cpDir);
  return { tool, ...out, wallMs, cpuMs: readCpuMs(timeFile), recap: recap(out.stdout) };
}

function readCpuMs(file: string): number | null {
  try {
    // The last line: "user system" in seconds (earlier lines are "Command exited with non-zero status").
    const last = readFileSync(file, 'utf8').trim().split('\n').pop() ?? '';
    const [u, sys] = last.split(' ').map(Number);
    rmSync(file, { force: true });
    return u !== undefined && sys !== undefined && Number.isFinite(u + sys) ? Math.round((u + sys) * 1000) : null;
  } catch {
    return null;
  }
}

/** Asks every ssh master left in dir to exit (they would otherwise linger 60 s holding an sshd each). */
async function closeControlMasters(dir: string): Promise<void> {
  let socks: string[] = [];
  try {
    socks = readdirSync(dir);
  } catch {
    return;
  }
  await Promise.all(socks.map((s) => run('ssh', ['-o', `ControlPath=${join(dir, s)}`, '-O', 'exit', 'bench-master']).catch(() => {})));
  rmSync(dir, { recursive: true, force: true });
}

/** Empties each host's files directory, so the next run starts from a clean host. */
export function cleanHosts(hosts: readonly TestHost[]): void {
  for (const h of hosts) {
    for (const e of readdirSync(h.root)) rmSync(join(h.root, e), { recursive: true, force: true });
  }
}

// sshd at LogLevel VERBOSE logs one "Starting session: command ..." line per exec channel (and
// "subsystem" for sftp); the helper keeps the last 200 000 characters of each host's log.
const SESSION = /^Starting session: (command|subsystem|shell)/gm;
const LOG_CAP = 200_000;

/** Where each host's log stands now, to count the sessions a run adds. */
export function logMarks(hosts: readonly TestHost[]): number[] {
  return hosts.map((h) => h.log().length);
}

/** Sessions (exec channels) per host since the marks; null for a host whose log was trimmed meanwhile. */
export async function sessionsSince(hosts: readonly TestHost[], marks: number[]): Promise<(number | null)[]> {
  // sshd writes its log line before the command runs, but it travels through a pipe: let it arrive.
  await new Promise((r) => setTimeout(r, 150));
  return hosts.map((h, i) => {
    const log = h.log();
    if (log.length >= LOG_CAP - 1000) return null;
    return (log.slice(marks[i]).match(SESSION) ?? []).length;
  });
}

/** Sum of a recap over hosts (ok, changed, failed, unreachable, skipped...). */
export function recapTotals(r: Record<string, Record<string, number>>): Record<string, number> {
  const t: Record<string, number> = {};
  for (const counts of Object.values(r)) for (const [k, v] of Object.entries(counts)) t[k] = (t[k] ?? 0) + v;
  return t;
}

/** Why a run counts as failed, or undefined when every host finished without failures. */
export function runProblem(r: RunResult, hostCount: number, opts: { emptyPlay?: boolean } = {}): string | undefined {
  const hosts = Object.keys(r.recap).length;
  // A play without tasks: ansible-playbook lists no host in the recap at all.
  if (opts.emptyPlay) return r.code === 0 ? undefined : `exit ${r.code}: ${failureText(r)}`;
  const t = recapTotals(r.recap);
  if (r.code !== 0 || hosts !== hostCount || (t.failed ?? 0) > 0 || (t.unreachable ?? 0) > 0) {
    return `exit ${r.code}, recap for ${hosts}/${hostCount} hosts, failed=${t.failed ?? 0} unreachable=${t.unreachable ?? 0}: ${failureText(r)}`;
  }
  return undefined;
}

/** The lines that say what went wrong (fatal/failed/error lines, else the tail of the output). */
export function failureText(r: RunResult): string {
  const lines = (r.stdout + '\n' + r.stderr).split('\n');
  const hits = lines.filter((l) => /fatal:|failed:|FAILED!|ERROR|error:|\^|unreachable:|internal error/i.test(l) && !/PLAY RECAP/.test(l));
  const pick = hits.length > 0 ? hits : lines.filter((l) => l.trim() !== '').slice(-8);
  return pick.slice(0, 12).join('\n').slice(0, 2000);
}
