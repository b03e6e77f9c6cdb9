// The free strategy: each host runs its tasks as fast as it can, up to `forks` hosts at a time.

import pLimit from 'p-limit';
import type { Flow } from './host-cursor.js';
import type { PlayRun } from './play-run.js';
import { runStep, taskInfo } from './run-step.js';
import type { Walker } from './strategy-linear.js';

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
          const info = taskInfo(r.value.task, pr.taskScope(w.host, r.value.task));
          pr.state.reporter.emit({ type: 'task_start', task: info, hosts: [w.host] });
          const out = await runStep(pr, w.host, r.value.task, info);
          r = w.gen.next(out);
        }
        flows.set(w.host, r.value);
        if (r.value === 'end_play' || r.value === 'end_batch') endAll = r.value;
      }),
    ),
  );
  return flows;
}
