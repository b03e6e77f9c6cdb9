// Runs the built CLI (bin/sams) as a user would, in a project directory, with a private HOME so
// the control node's own ~/.ssh and settings never leak into tests.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SAMS = join(ROOT, 'bin/sams');

/**
 * The built CLI must exist; test/global-setup.ts builds it (once, before any test file) when the
 * sources are newer. Never built here: a synchronous build inside a test worker stalls vitest.
 */
export function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` (test/global-setup.ts builds it before tests)');
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** With --json: the parsed event lines. */
  events: Record<string, unknown>[];
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

let home: string | undefined;
/** A HOME for the control node with an empty ~/.ssh. */
export function controlHome(): string {
  if (!home) {
    home = mkdtempSync(join(tmpdir(), 'sams-home-'));
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    writeFileSync(join(home, '.ssh/config'), '');
  }
  return home;
}

export function runSams(args: string[], o: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [SAMS, ...args], {
      cwd: o.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: controlHome(), LANG: 'C.UTF-8', ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const events = args.includes('--json')
        ? stdout
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Record<string, unknown>)
        : [];
      resolvePromise({ code: code ?? -1, stdout, stderr, events });
    });
    child.stdin.end(o.input ?? '');
  });
}

/** Write files under `dir` (creating directories); returns dir. */
export function writeTree(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Recap counts per host from plain (non-TTY) output. */
export function recap(stdout: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const at = stdout.indexOf('PLAY RECAP');
  if (at < 0) return out;
  for (const line of stdout.slice(at).split('\n').slice(1)) {
    const m = /^(\S+)\s+:\s+(.*)$/.exec(line);
    if (!m) continue;
    const counts: Record<string, number> = {};
    for (const kv of m[2]!.trim().split(/\s+/)) {
      const [k, v] = kv.split('=');
      counts[k!] = Number(v);
    }
    out[m[1]!] = counts;
  }
  return out;
}
