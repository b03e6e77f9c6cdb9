// Round trips per task on one host: run growing prefixes of the playbook and count the exec channels each task adds in sshd's log.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestHosts } from '../test/helpers/sshd.js';
import { FACTS_ID, writePlaybook, writeProject, type BenchTask, type TaskKind } from './playbook.js';
import { cleanHosts, logMarks, recapTotals, runProblem, runTool, sessionsSince, TOOLS, type RunResult, type Tool } from './runners.js';

export type TaskStatus = 'ok' | 'changed' | 'skipped' | 'failed';

export interface ToolTaskCost {
  /** Exec channels the task added on the first run (clean host) and on the second. */
  first: number | null;
  second: number | null;
  /** The task's status on each run, from the recap difference. */
  firstStatus: TaskStatus | null;
  secondStatus: TaskStatus | null;
}

export interface TaskCost {
  id: string;
  module: string;
  kind: TaskKind | 'facts';
  /** Sends file content when it changes (one more exec allowed). */
  transfers: boolean;
  sams: ToolTaskCost;
  ansible: ToolTaskCost;
}

export interface ExcludedTask {
  id: string;
  module: string;
  /** Which tool could not run it ('both': the task itself is at fault). */
  tool: Tool | 'both';
  reason: string;
}

export interface RoundTripReport {
  /** Sessions with no task at all (gather_facts: false, tasks: []): connection overhead. */
  baseline: Record<Tool, { first: number | null; second: number | null }>;
  tasks: TaskCost[];
  excluded: ExcludedTask[];
  /** Tasks that cost sams more than the design allows: >1 exec unchanged, >2 changed (+1 when content is sent). */
  overBudget: { id: string; run: 'first' | 'second'; execs: number; status: TaskStatus | null }[];
}

interface Snapshot {
  sessions: { first: number | null; second: number | null };
  totals: { first: Record<string, number>; second: Record<string, number> };
}

/**
 * For each candidate task in order: run [facts + accepted tasks + candidate] twice on a clean host
 * with each tool; the difference to the accepted prefix is the candidate's cost. A candidate that
 * fails under a tool (or is not idempotent) is excluded, with the reason, and the prefix stays as it was.
 */
export async function measureRoundTrips(candidates: readonly BenchTask[], log: (s: string) => void): Promise<{ report: RoundTripReport; accepted: BenchTask[] }> {
  let th = await startTestHosts(1, { logLevel: 'VERBOSE' });
  const dir = mkdtempSync(join(tmpdir(), 'sams-bench-rt-'));
  try {
    const ctx = { dir, inventory: writeProject(dir, th).inventory, forks: 1, scratch: join(dir, '.scratch') };

    const measure = async (tool: Tool, tasks: readonly BenchTask[], facts: boolean): Promise<{ snap: Snapshot; problem?: string; runs: RunResult[] }> => {
      // The helper keeps only the tail of sshd's log: start a fresh host before it fills up.
      if (th.hosts[0]!.log().length > 100_000) {
        await th.stop();
        th = await startTestHosts(1, { logLevel: 'VERBOSE' });
        ctx.inventory = writeProject(dir, th).inventory;
      }
      writePlaybook(dir, tasks, facts);
      cleanHosts(th.hosts);
      const runs: RunResult[] = [];
      const sessions: (number | null)[] = [];
      for (let i = 0; i < 2; i++) {
        const marks = logMarks(th.hosts);
        const r = await runTool(tool, ctx);
        runs.push(r);
        sessions.push((await sessionsSince(th.hosts, marks))[0] ?? null);
        const problem = runProblem(r, 1, { emptyPlay: tasks.length === 0 && !facts });
        if (problem) return { snap: emptySnap(), problem: `${i === 0 ? 'first' : 'second'} run: ${problem}`, runs };
      }
      return {
        snap: { sessions: { first: sessions[0]!, second: sessions[1]! }, totals: { first: recapTotals(runs[0]!.recap), second: recapTotals(runs[1]!.recap) } },
        runs,
      };
    };

    const baseline = {} as RoundTripReport['baseline'];
    const prev = {} as Record<Tool, Snapshot>;
    for (const tool of TOOLS) {
      const b = await measure(tool, [], false);
      if (b.problem) throw new Error(`${tool} fails on an empty play: ${b.problem}`);
      baseline[tool] = b.snap.sessions;
    }

    const tasks: TaskCost[] = [];
    const excluded: ExcludedTask[] = [];
    const accepted: BenchTask[] = [];

    // Facts first (the play's gather_facts), then each candidate.
    const steps: (BenchTask | typeof FACTS_ID)[] = [FACTS_ID, ...candidates];
    for (const step of steps) {
      const isFacts = step === FACTS_ID;
      const id = isFacts ? FACTS_ID : step.id;
      const prefix = isFacts ? [] : [...accepted, step];
      const before = isFacts ? null : prev;
      const now = {} as Record<Tool, Snapshot>;
      const costs = {} as Record<Tool, ToolTaskCost>;
      let exclusion: ExcludedTask | undefined;
      for (const tool of TOOLS) {
        const m = await measure(tool, prefix, true);
        if (m.problem) {
          if (isFacts) throw new Error(`${tool} cannot gather facts: ${m.problem}`);
          exclusion = { id, module: step.module, tool, reason: m.problem };
          break;
        }
        now[tool] = m.snap;
        const base = before ? before[tool] : { sessions: baseline[tool], totals: { first: {}, second: {} } };
        costs[tool] = {
          first: diff(m.snap.sessions.first, base.sessions.first),
          second: diff(m.snap.sessions.second, base.sessions.second),
          firstStatus: statusOf(m.snap.totals.first, base.totals.first),
          secondStatus: statusOf(m.snap.totals.second, base.totals.second),
        };
      }
      if (!exclusion && !isFacts) {
        // The second run must change nothing: that is what the idempotent-run timing measures.
        const redo = TOOLS.filter((tool) => costs[tool].secondStatus === 'changed');
        if (redo.length) {
          exclusion = { id, module: step.module, tool: redo.length === TOOLS.length ? 'both' : redo[0]!, reason: 'not idempotent: changed again on the second run' };
        }
      }
      if (exclusion) {
        log(`  ${id}: left out (${exclusion.tool}): ${exclusion.reason.split('\n')[0]}`);
        excluded.push(exclusion);
        continue;
      }
      Object.assign(prev, now);
      if (!isFacts) accepted.push(step);
      tasks.push({ id, module: isFacts ? 'setup' : step.module, kind: isFacts ? 'facts' : step.kind, transfers: !isFacts && step.transfers, sams: costs.sams, ansible: costs.ansible });
      log(`  ${id}: sams ${costs.sams.first}/${costs.sams.second} execs, ansible ${costs.ansible.first}/${costs.ansible.second} (first/second run)`);
    }

    const overBudget: RoundTripReport['overBudget'] = [];
    for (const t of tasks) {
      for (const run of ['first', 'second'] as const) {
        const execs = t.sams[run];
        const status = run === 'first' ? t.sams.firstStatus : t.sams.secondStatus;
        if (execs === null) continue;
        const limit = status === 'changed' ? 2 + (t.transfers ? 1 : 0) : 1;
        if (execs > limit) overBudget.push({ id: t.id, run, execs, status });
      }
    }
    return { report: { baseline, tasks, excluded, overBudget }, accepted };
  } finally {
    await th.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function emptySnap(): Snapshot {
  return { sessions: { first: null, second: null }, totals: { first: {}, second: {} } };
}

function diff(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

function statusOf(now: Record<string, number>, before: Record<string, number>): TaskStatus | null {
  const d = (k: string) => (now[k] ?? 0) - (before[k] ?? 0);
  if (d('failed') > 0) return 'failed';
  if (d('changed') > 0) return 'changed';
  if (d('skipped') > 0) return 'skipped';
  if (d('ok') > 0) return 'ok';
  return null;
}
