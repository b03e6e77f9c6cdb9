// Wall-time measurement for N hosts: warm-up, then alternating repetitions of a first (clean host) and a second (idempotent) run per tool.

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestHosts, type TestHosts } from '../test/helpers/sshd.js';
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
  median: Record<Tool, Record<Phase, number | null>>;
  /** ansible-playbook median / sams median: how many times faster sams is. */
  ratio: Record<Phase, number | null>;
  loadavgBefore: number[];
  loadavgAfter: number[];
  startHostsMs: number;
}

export async function measureSize(n: number, tasks: readonly BenchTask[], reps: number, log: (s: string) => void): Promise<SizeResult> {
  const loadavgBefore = loadavg();
  const t0 = Date.now();
  const th: TestHosts = await startTestHosts(n, { logLevel: 'VERBOSE' });
  const startHostsMs = Date.now() - t0;
  const dir = mkdtempSync(join(tmpdir(), `sams-bench-${n}-`));
  const samples: Sample[] = [];
  try {
    const { inventory } = writeProject(dir, th);
    writePlaybook(dir, tasks, true);
    const ctx: RunContext = { dir, inventory, forks: n, scratch: join(dir, '.scratch') };
    for (let rep = 0; rep <= reps; rep++) {
      // Alternate which tool goes first, so drift in the machine's load hits both alike.
      const order = rep % 2 === 0 ? TOOLS : [...TOOLS].reverse();
      for (const tool of order) {
        cleanHosts(th.hosts);
        for (const phase of ['first', 'second'] as const) {
          const marks = logMarks(th.hosts);
          const r = await runTool(tool, ctx);
          const execs = (await sessionsSince(th.hosts, marks)).filter((x): x is number => x !== null);
          const totals = recapTotals(r.recap);
          const problem = runProblem(r, n);
          const s: Sample = {
            tool,
            phase,
            rep,
            warmup: rep === 0,
            wallMs: Math.round(r.wallMs),
            code: r.code,
            changed: totals.changed ?? 0,
            ok: totals.ok ?? 0,
            execsPerHost: execs.length ? { min: Math.min(...execs), max: Math.max(...execs) } : null,
            ...(problem !== undefined && { problem }),
          };
          samples.push(s);
          log(`  N=${n} ${rep === 0 ? 'warm-up' : `rep ${rep}`} ${tool.padEnd(7)} ${phase.padEnd(6)} ${(r.wallMs / 1000).toFixed(2)} s  changed=${s.changed}${problem ? `  PROBLEM: ${problem.split('\n')[0]}` : ''}`);
        }
      }
    }
  } finally {
    await th.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const median = {} as SizeResult['median'];
  for (const tool of TOOLS) {
    median[tool] = {
      first: medianOf(samples.filter((s) => s.tool === tool && s.phase === 'first' && !s.warmup && !s.problem).map((s) => s.wallMs)),
      second: medianOf(samples.filter((s) => s.tool === tool && s.phase === 'second' && !s.warmup && !s.problem).map((s) => s.wallMs)),
    };
  }
  const ratioOf = (p: Phase) => {
    const a = median.ansible[p];
    const s = median.sams[p];
    return a !== null && s !== null && s > 0 ? Math.round((a / s) * 100) / 100 : null;
  };
  return { hosts: n, forks: n, reps, samples, median, ratio: { first: ratioOf('first'), second: ratioOf('second') }, loadavgBefore, loadavgAfter: loadavg(), startHostsMs };
}

function medianOf(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
}
