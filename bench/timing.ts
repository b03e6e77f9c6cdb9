// Wall-time measurement for N hosts: warm-up, then alternating repetitions of a first (clean host) and a second (idempotent) run per tool.

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestHosts, type TestHosts } from '../test/helpers/sshd.js';
import { busyMs, cpuSnapshot, waitForQuiet } from './quiet.js';
import { writePlaybook, writeProject, type BenchTask } from './playbook.js';
import { cleanHosts, logMarks, recapTotals, runProblem, runTool, sessionsSince, TOOLS, type RunContext, type Tool } from './runners.js';

export type Phase = 'first' | 'second';

export interface Sample {
  tool: Tool;
  phase: Phase;
  rep: number;
  /** Repetition 0 is the warm-up: reported, not in the median. */
  warmup: boolean;
  wallMs: number;
  /** CPU time of the tool's process tree (control node side). */
  cpuMs: number | null;
  /** CPU time of the whole machine during the run (tool, sshd sessions, the commands on the hosts, and anything else running). */
  machineCpuMs: number;
  /** Busy share of the machine just before the run (0..1), after waiting for quiet. */
  busyBefore: number;
  code: number;
  changed: number;
  ok: number;
  /** Exec channels per host during the run (min and max over the hosts), from sshd's log. */
  execsPerHost: { min: number; max: number } | null;
  problem?: string;
}

export interface SizeResult {
  hosts: number;
  forks: number;
  reps: number;
  samples: Sample[];
  /** Medians over the timed repetitions (warm-up and runs with problems left out), in ms. */
  median: Record<Tool, Record<Phase, number | null>>;
  medianCpu: Record<Tool, Record<Phase, number | null>>;
  medianMachineCpu: Record<Tool, Record<Phase, number | null>>;
  /** ansible-playbook median / sams median: how many times faster sams is. */
  ratio: Record<Phase, number | null>;
  loadavgBefore: number[];
  loadavgAfter: number[];
  startHostsMs: number;
}

export interface QuietGate {
  /** Run only when the machine's busy share stayed below this for two seconds... */
  maxBusy: number;
  /** ...but do not wait longer than this for it before one run... */
  maxWaitMs: number;
  /** ...nor longer than this in all (what is left of it; the gate opens for good once spent). */
  budgetMs: number;
}

export async function measureSize(
  n: number,
  tasks: readonly BenchTask[],
  reps: number,
  gate: QuietGate,
  log: (s: string) => void,
  gatherFacts = true,
): Promise<SizeResult> {
  const loadavgBefore = loadavg();
  const t0 = Date.now();
  const th: TestHosts = await startTestHosts(n, { logLevel: 'VERBOSE' });
  const startHostsMs = Date.now() - t0;
  const dir = mkdtempSync(join(tmpdir(), `sams-bench-${n}-`));
  const samples: Sample[] = [];
  try {
    const { inventory } = writeProject(dir, th);
    writePlaybook(dir, tasks, gatherFacts);
    const ctx: RunContext = { dir, inventory, forks: n, scratch: join(dir, '.scratch') };
    for (let rep = 0; rep <= reps; rep++) {
      // Alternate which tool goes first, so drift in the machine's load hits both alike.
      const order = rep % 2 === 0 ? TOOLS : [...TOOLS].reverse();
      for (const tool of order) {
        cleanHosts(th.hosts);
        for (const phase of ['first', 'second'] as const) {
          const q = await waitForQuiet(gate.maxBusy, Math.max(0, Math.min(gate.maxWaitMs, gate.budgetMs)));
          gate.budgetMs -= q.waitedMs;
          if (!q.quiet) log(`  (machine still ${(q.busy * 100).toFixed(0)}% busy after ${Math.round(q.waitedMs / 1000)} s: running anyway)`);
          const marks = logMarks(th.hosts);
          const cpu0 = cpuSnapshot();
          const r = await runTool(tool, ctx);
          const machineCpuMs = busyMs(cpu0, cpuSnapshot());
          const execs = (await sessionsSince(th.hosts, marks)).filter((x): x is number => x !== null);
          const totals = recapTotals(r.recap);
          const problem = runProblem(r, n);
          const s: Sample = {
            tool,
            phase,
            rep,
            warmup: rep === 0,
            wallMs: Math.round(r.wallMs),
            cpuMs: r.cpuMs,
            machineCpuMs,
            busyBefore: Math.round(q.busy * 100) / 100,
            code: r.code,
            changed: totals.changed ?? 0,
            ok: totals.ok ?? 0,
            execsPerHost: execs.length ? { min: Math.min(...execs), max: Math.max(...execs) } : null,
            ...(problem !== undefined && { problem }),
          };
          samples.push(s);
          log(`  N=${n} ${rep === 0 ? 'warm-up' : `rep ${rep}`} ${tool.padEnd(7)} ${phase.padEnd(6)} ${(r.wallMs / 1000).toFixed(2)} s (cpu ${((r.cpuMs ?? 0) / 1000).toFixed(2)} s, machine ${(machineCpuMs / 1000).toFixed(2)} s)  changed=${s.changed}${problem ? `  PROBLEM: ${problem.split('\n')[0]}` : ''}`);
        }
      }
    }
  } finally {
    await th.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const medians = (pick: (s: Sample) => number | null) => {
    const m = {} as SizeResult['median'];
    for (const tool of TOOLS) {
      const of = (phase: Phase) =>
        medianOf(samples.filter((s) => s.tool === tool && s.phase === phase && !s.warmup && !s.problem).map(pick).filter((v): v is number => v !== null));
      m[tool] = { first: of('first'), second: of('second') };
    }
    return m;
  };
  const median = medians((s) => s.wallMs);
  const ratioOf = (p: Phase) => {
    const a = median.ansible[p];
    const s = median.sams[p];
    return a !== null && s !== null && s > 0 ? Math.round((a / s) * 100) / 100 : null;
  };
  return {
    hosts: n,
    forks: n,
    reps,
    samples,
    median,
    medianCpu: medians((s) => s.cpuMs),
    medianMachineCpu: medians((s) => s.machineCpuMs),
    ratio: { first: ratioOf('first'), second: ratioOf('second') }, loadavgBefore, loadavgAfter: loadavg(), startHostsMs };
}

function medianOf(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
}
