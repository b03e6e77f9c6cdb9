// The benchmark driver: which tasks both tools can run, round trips per task, then wall times for each host count; writes bench/results/.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measureBreakdown, writeBreakdown } from './breakdown.js';
import { CATALOGUE, playbookText, type BenchTask } from './playbook.js';
import { writeResults, type BenchResults } from './report.js';
import { measureRoundTrips, type ExcludedTask, type RoundTripReport } from './round-trips.js';
import { ROOT, samsDist, snapshotSams } from './runners.js';
import { measureSize, type QuietGate, type SizeResult } from './timing.js';

interface Options {
  hosts: number[];
  reps: number;
  gate: QuietGate;
  roundTrips: boolean;
  write: boolean;
  /** Time the minimal playbooks of breakdown.ts at this many hosts instead of the main benchmark. */
  breakdown?: number;
}

const USAGE = `usage: node bench/run.mjs [--hosts 1,10,50] [--reps 3] [--max-busy 0.2] [--quiet-wait 300] [--quiet-budget 2400] [--no-round-trips] [--no-write]
       node bench/run.mjs --breakdown 50 [--reps 3] ...
  --hosts      host counts to time (forks = host count for both tools)
  --reps       timed repetitions per tool and host count, after one warm-up (median reported)
  --max-busy   before each timed run, wait until the machine's CPU busy share stays below this (0..1)...
  --quiet-wait ...for at most this many seconds, then run anyway (the sample records how busy it was)
  --quiet-budget  seconds of such waiting in all; once spent, runs start without waiting
  --no-round-trips  skip the per-task exec count (every available task is then timed unchecked)
  --no-write   print only; leave bench/results/ and bench/README.md alone
  --breakdown  instead: time minimal playbooks (one ping, facts only, ten commands) at this many hosts;
               writes bench/results/breakdown.{json,md}`;

function parseOptions(argv: string[]): Options {
  const o: Options = { hosts: [1, 10, 50], reps: 3, gate: { maxBusy: 0.2, maxWaitMs: 300_000, budgetMs: 2_400_000 }, roundTrips: true, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--hosts') o.hosts = value().split(',').map((s) => positive(s, a));
    else if (a === '--reps') o.reps = positive(value(), a);
    else if (a === '--max-busy') o.gate.maxBusy = fraction(value(), a);
    else if (a === '--quiet-wait') o.gate.maxWaitMs = seconds(value(), a) * 1000;
    else if (a === '--quiet-budget') o.gate.budgetMs = seconds(value(), a) * 1000;
    else if (a === '--no-round-trips') o.roundTrips = false;
    else if (a === '--no-write') o.write = false;
    else if (a === '--breakdown') o.breakdown = positive(value(), a);
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return o;
}

function fraction(s: string, flag: string): number {
  const n = Number(s);
  if (!(n > 0 && n <= 1)) throw new Error(`${flag}: ${s} is not a number in (0, 1]`);
  return n;
}

function seconds(s: string, flag: string): number {
  const n = Number(s);
  if (!(n >= 0)) throw new Error(`${flag}: ${s} is not a number of seconds`);
  return n;
}

function positive(s: string, flag: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: ${s} is not a positive whole number`);
  return n;
}

/** Tasks whose module the built sams knows (dist/modules/registry.js), and the ones it does not. */
async function availableTasks(): Promise<{ tasks: BenchTask[]; missing: ExcludedTask[] }> {
  const registry = (await import(pathToFileURL(join(samsDist(), 'modules/registry.js')).href)) as { findModule(name: string): unknown };
  const tasks: BenchTask[] = [];
  const missing: ExcludedTask[] = [];
  for (const t of CATALOGUE) {
    if (registry.findModule(t.module)) tasks.push(t);
    else missing.push({ id: t.id, module: t.module, tool: 'sams', reason: `module ${t.module} is not in sams' registry (src/modules/all.ts)` });
  }
  return { tasks, missing };
}

function versionOf(cmd: string, args: string[]): string {
  // ssh -V prints on stderr.
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return ((r.stdout || r.stderr || '').split('\n')[0] ?? '').trim() || 'unknown';
}

function gitState(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} + uncommitted changes in src/` : head;
  } catch {
    return 'unknown';
  }
}

export async function main(argv: string[]): Promise<number> {
  const opts = parseOptions(argv);
  for (const [what, path] of [
    ['ansible-playbook (apt install ansible-core)', '/usr/bin/ansible-playbook'],
    ['sshd (apt install openssh-server)', '/usr/sbin/sshd'],
    ['the built CLI (npm run build)', join(ROOT, 'dist/cli/main.js')],
  ] as const) {
    if (!existsSync(path)) throw new Error(`missing ${what}: ${path}`);
  }
  const log = (s: string) => console.log(s);
  const started = new Date();
  const snapshot = mkdtempSync(join(tmpdir(), 'sams-bench-build-'));
  try {
    snapshotSams(snapshot);
    return await runAll(opts, started, log);
  } finally {
    rmSync(snapshot, { recursive: true, force: true });
  }
}

async function runAll(opts: Options, started: Date, log: (s: string) => void): Promise<number> {
  const budgetS = opts.gate.budgetMs / 1000;
  if (opts.breakdown !== undefined) {
    const b = await measureBreakdown(opts.breakdown, opts.reps, opts.gate, log);
    if (opts.write) log(`wrote ${writeBreakdown(b, machineLine(started)).join(', ')}`);
    return 0;
  }
  const { tasks: available, missing } = await availableTasks();
  for (const m of missing) log(`left out ${m.id}: ${m.reason}`);

  let tasks = available;
  let roundTrips: RoundTripReport | undefined;
  if (opts.roundTrips) {
    log(`round trips per task on one host (${available.length} tasks + facts)`);
    const rt = await measureRoundTrips(available, log);
    roundTrips = rt.report;
    tasks = rt.accepted;
  }

  const sizes: SizeResult[] = [];
  for (const n of opts.hosts) {
    log(`timing N=${n} (forks ${n}), ${tasks.length} tasks + facts, 1 warm-up + ${opts.reps} reps`);
    const r = await measureSize(n, tasks, opts.reps, opts.gate, log);
    sizes.push(r);
    log(
      `N=${n}: first run sams ${sec(r.median.sams.first)} ansible ${sec(r.median.ansible.first)} (x${r.ratio.first ?? '?'}); ` +
        `second run sams ${sec(r.median.sams.second)} ansible ${sec(r.median.ansible.second)} (x${r.ratio.second ?? '?'})`,
    );
  }

  const results: BenchResults = {
    started: started.toISOString(),
    finished: new Date().toISOString(),
    machine: machineInfo(),
    versions: versions(),
    options: { hosts: opts.hosts, reps: opts.reps, maxBusy: opts.gate.maxBusy, quietWaitS: opts.gate.maxWaitMs / 1000, quietBudgetS: budgetS },
    tasks: tasks.map((t) => ({ id: t.id, module: t.module, kind: t.kind })),
    excluded: [...missing, ...(roundTrips?.excluded ?? [])],
    playbook: playbookText(tasks, true),
    roundTrips,
    sizes,
  };
  if (opts.write) {
    const files = writeResults(results);
    log(`wrote ${files.join(', ')}`);
  }
  const bad = sizes.flatMap((s) => s.samples.filter((x) => x.problem));
  if (bad.length) log(`${bad.length} run(s) had problems; see the results`);
  return 0;
}

function machineInfo(): BenchResults['machine'] {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memGiB: Math.round(totalmem() / 2 ** 30) };
}

function versions(): BenchResults['versions'] {
  return { sams: gitState(), node: process.version, ansible: versionOf('ansible-playbook', ['--version']), openssh: versionOf('ssh', ['-V']) };
}

function machineLine(started: Date): string {
  const m = machineInfo();
  const v = versions();
  return `Run ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} cores (${m.cpuModel}), ${m.memGiB} GiB; sams ${v.sams}, node ${v.node}, ${v.ansible}, ${v.openssh}.`;
}

function sec(ms: number | null): string {
  return ms === null ? '?' : `${(ms / 1000).toFixed(2)} s`;
}
