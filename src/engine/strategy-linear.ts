// The linear strategy (Ansible's default): every live host finishes a task before any host
// starts the next one. Hosts whose walks diverge (rescue, includes) run in position order:
// the group at the earliest position goes first, the others wait.

import pLimit from 'p-limit';
import { toBool } from '../modules/lib/args.js';
import type { Task } from '../load/model.js';
import { comparePaths, type CursorGen, type CursorStep, type Flow, type HostCursor } from './host-cursor.js';
import type { PlayRun } from './play-run.js';
import { runStep, taskInfo } from './run-step.js';
import type { TaskOutcome } from './run-task.js';
import { effectiveKeyword } from './select.js';

export interface Walker {
  host: string;
  cursor: HostCursor;
  gen: CursorGen;
}

export function renderedFlag(pr: PlayRun, host: string, task: Task, key: 'run_once' | 'any_errors_fatal'): boolean {
  const v = key === 'any_errors_fatal' ? (effectiveKeyword(task, key) ?? pr.play.anyErrorsFatal) : effectiveKeyword(task, key);
  if (v === undefined || v === null) return false;
  return toBool(pr.taskScope(host, task).render(v, key)) ?? false;
}

/** Percentage of the batch that failed or is unreachable in this play. */
function failedPercent(pr: PlayRun): number {
  const batch = pr.batch;
  const bad = batch.filter((h) => {
    const r = pr.state.hosts.get(h);
    return r && (r.failed || r.unreachable) && !pr.outBefore.has(h);
  }).length;
  return batch.length ? (bad / batch.length) * 100 : 0;
}

/** Stop every walker that is not inside a rescue (any_errors_fatal / max_fail_percentage). */
function abortBatch(pr: PlayRun, current: Map<string, IteratorResult<CursorStep, Flow>>, walkers: Map<string, Walker>, flows: Map<string, Flow>): void {
  for (const [host, w] of walkers) {
    if (flows.has(host) || w.cursor.inRescue > 0) continue;
    const hr = pr.host(host);
    if (!hr.unreachable) hr.failed = true;
    w.gen.return('failed');
    flows.set(host, 'failed');
    current.delete(host);
  }
}

/** Ansible applies a run_once result to the other hosts too: the registered value and facts. */
export function shareRunOnceResult(pr: PlayRun, from: string, to: string[], task: Task, out: TaskOutcome): void {
  const src = pr.host(from);
  for (const h of to) {
    const dst = pr.host(h);
    if (task.register && src.setFacts[task.register] !== undefined) dst.setFacts[task.register] = src.setFacts[task.register];
    if (out.result.facts) Object.assign(out.result.factsLayer === 'include_vars' ? dst.includeVars : dst.setFacts, out.result.facts);
  }
}

/**
 * Ansible's linear strategy runs these meta actions once, for the first host of the batch (its
 * when: decides for all); noop, flush_handlers, end_host and reset_connection run per host.
 */
const PER_HOST_META = new Set(['noop', 'flush_handlers', 'end_host', 'reset_connection', 'role_complete']);
function metaRunsOnce(task: Task): boolean {
  return task.action === 'meta' && !PER_HOST_META.has(String(task.args._raw_params));
}

export async function runLinear(pr: PlayRun, walkers: Map<string, Walker>): Promise<Map<string, Flow>> {
  const flows = new Map<string, Flow>();
  const current = new Map<string, IteratorResult<CursorStep, Flow>>();
  for (const [h, w] of walkers) current.set(h, w.gen.next());
  const limit = pLimit(pr.forks());
  const maxFail = pr.play.maxFailPercentage === undefined ? undefined : Number(pr.play.maxFailPercentage);

  for (;;) {
    for (const [h, r] of current) {
      if (r.done) {
        flows.set(h, r.value);
        current.delete(h);
      }
    }
    if (current.size === 0) break;
    // The earliest position among live hosts, and the hosts at it with the same task.
    let first: CursorStep | undefined;
    for (const r of current.values()) {
      const step = r.value as CursorStep;
      if (!first || comparePaths(step.path, first.path) < 0) first = step;
    }
    const task = first!.task;
    const group = [...current.entries()].filter(([, r]) => (r.value as CursorStep).task === task && comparePaths((r.value as CursorStep).path, first!.path) === 0).map(([h]) => h);
    const info = taskInfo(task, pr.taskScope(group[0]!, task));
    pr.state.reporter.emit({ type: 'task_start', task: info, hosts: group });

    const runOnce = metaRunsOnce(task) || renderedFlag(pr, group[0]!, task, 'run_once');
    const outcomes = new Map<string, TaskOutcome>();
    if (runOnce) {
      const out = await runStep(pr, group[0]!, task, info);
      outcomes.set(group[0]!, out);
      shareRunOnceResult(pr, group[0]!, group.slice(1), task, out);
      // Counted in the recap only for the host that ran it, as Ansible does.
      for (const h of group.slice(1)) outcomes.set(h, { ...out, silent: true });
    } else {
      await Promise.all(group.map((h) => limit(async () => outcomes.set(h, await runStep(pr, h, task, info)))));
    }

    let ended: Flow | undefined;
    const failedNow: string[] = [];
    for (const h of group) {
      const out = outcomes.get(h)!;
      if ((out.result.status === 'failed' || out.result.status === 'unreachable') && !out.result.ignored) failedNow.push(h);
      const next = walkers.get(h)!.gen.next(out);
      current.set(h, next);
      if (next.done && (next.value === 'end_play' || next.value === 'end_batch')) ended = next.value;
    }
    if (ended) {
      for (const [h, w] of walkers) {
        if (flows.has(h)) continue;
        const r = current.get(h);
        if (r?.done) continue;
        w.gen.return(ended);
        flows.set(h, ended);
        current.delete(h);
      }
    }
    const fatal = failedNow.some((h) => walkers.get(h)!.cursor.inRescue === 0 && renderedFlag(pr, h, task, 'any_errors_fatal'));
    const failedTooMany = maxFail !== undefined && failedNow.length > 0 && failedPercent(pr) > maxFail;
    if (fatal || failedTooMany) abortBatch(pr, current, walkers, flows);
  }
  return flows;
}
