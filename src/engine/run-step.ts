// Runs one cursor step on one host for a strategy: the task, ignore_errors/ignore_unreachable,
// events (censored under no_log) and timings.

import { toBool } from '../modules/lib/args.js';
import type { Task } from '../load/model.js';
import type { TaskInfo } from './events.js';
import type { PlayRun } from './play-run.js';
import { CENSORED_MSG, type ItemResult, type TaskResult } from './result.js';
import { runTask, taskInfo, type TaskOutcome } from './run-task.js';
import { effectiveKeyword } from './select.js';

/** A copy of a result safe to show under no_log: status and counts only. */
export function censor<T extends TaskResult>(r: T): T {
  const out = {
    status: r.status,
    censored: true,
    ignored: r.ignored,
    checkOnly: r.checkOnly,
    delegatedTo: r.delegatedTo,
    msg: CENSORED_MSG,
  } as T;
  if ('item' in r) Object.assign(out, { item: undefined, label: '(censored due to no_log)', loopVar: (r as unknown as ItemResult).loopVar });
  if (r.items) out.items = r.items.map((i) => censor(i));
  return out;
}

function noLogFor(pr: PlayRun, host: string, task: Task): boolean {
  const v = effectiveKeyword(task, 'no_log');
  if (v === undefined || v === null) return false;
  try {
    return toBool(pr.taskScope(host, task).render(v, 'no_log')) ?? true;
  } catch {
    // An unrenderable no_log is treated as true: never leak because of a template error.
    return true;
  }
}

function ignoreFlag(pr: PlayRun, host: string, task: Task, key: 'ignore_errors' | 'ignore_unreachable'): boolean {
  const v = effectiveKeyword(task, key);
  if (v === undefined || v === null) return false;
  return toBool(pr.taskScope(host, task).render(v, key)) ?? false;
}

/** Run a task on a host, emitting its result; returns the outcome for the cursor. */
export async function runStep(pr: PlayRun, host: string, task: Task, info: TaskInfo): Promise<TaskOutcome> {
  const rep = pr.state.reporter;
  const noLog = noLogFor(pr, host, task);
  const started = Date.now();
  const out = await runTask(pr, host, task, {
    emitItem: (r) => rep.emit({ type: 'item_result', host, task: info, result: noLog ? censor(r) : r }),
    warn: (message, loc) => rep.emit({ type: 'warning', message, host, loc }),
    debug: (level, message) => {
      // Commands of a no_log task carry its values: they are not shown at any verbosity.
      if (pr.state.opts.verbosity >= level) rep.emit({ type: 'debug', level, message: noLog ? `${host}: (command hidden: no_log)` : message });
    },
  });
  const r = out.result;
  if (r.status === 'failed' && ignoreFlag(pr, host, task, 'ignore_errors')) r.ignored = true;
  if (r.status === 'unreachable' && ignoreFlag(pr, host, task, 'ignore_unreachable')) r.ignored = true;
  if (noLog) r.censored = true;
  pr.state.timings.push({ task: info.name, host, elapsedMs: Date.now() - started });
  rep.emit({ type: 'host_result', host, task: info, result: noLog ? censor(r) : r });
  return out;
}

export { taskInfo };
