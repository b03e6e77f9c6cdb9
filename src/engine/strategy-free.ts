// The free strategy: each host runs its tasks as fast as it can, up to `forks` hosts at a time.

import pLimit from 'p-limit';
import type { Flow } from './host-cursor.js';
import type { PlayRun } from './play-run.js';
import { runStep, taskInfo } from './run-step.js';
import type { RunState } from './run-state.js';
import { renderedFlag, shareRunOnceResult, type Walker } from './strategy-linear.js';

/** Runs that printed the run_once warning (Ansible prints a warning once per run). */
const warnedRunOnce = new WeakSet<RunState>();

const RUN_ONCE_WARNING = 'Using run_once with the free strategy is not currently supported. This task will still be executed for every host in the inventory list.';

/**
 * Ansible 2.14's free strategy does not support run_once: it warns, runs the task on every host,
 * and applies each host's result to the other hosts as a run_once result (registered value and
 * facts), so a host reading it later sees the result of the last host that ran the task.
 */
export async function runFree(pr: PlayRun, walkers: Map<string, Walker>): Promise<Map<string, Flow>> {
  const flows = new Map<string, Flow>();
  const limit = pLimit(pr.forks());
  let endAll: Flow | undefined;
  await Promise.all(
    [...walkers.values()].map((w) =>
      limit(async () => {
        let r = w.gen.next();
        while (!r.done) {
          if (endAll) {
            w.gen.return(endAll);
            flows.set(w.host, endAll);
            return;
          }
          const task = r.value.task;
          const info = taskInfo(task, pr.taskScope(w.host, task));
          const runOnce = renderedFlag(pr, w.host, task, 'run_once');
          if (runOnce && !warnedRunOnce.has(pr.state)) {
            warnedRunOnce.add(pr.state);
            pr.state.reporter.emit({ type: 'warning', message: RUN_ONCE_WARNING });
          }
          pr.state.reporter.emit({ type: 'task_start', task: info, hosts: [w.host] });
          const out = await runStep(pr, w.host, task, info);
          if (runOnce) {
            const others = pr.batch.filter((h) => h !== w.host && !pr.outBefore.has(h) && !pr.host(h).unreachable);
            shareRunOnceResult(pr, w.host, others, task, out);
          }
          r = w.gen.next(out);
        }
        flows.set(w.host, r.value);
        if (r.value === 'end_play' || r.value === 'end_batch') endAll = r.value;
      }),
    ),
  );
  return flows;
}
