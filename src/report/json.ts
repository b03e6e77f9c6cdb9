// The --json reporter: one JSON object per line, written as each event happens.
//
// Shape (stable; keys are snake_case; optional keys are left out rather than null):
//   every line:      {"event": NAME, "time": ISO-8601, ...fields below}
//   playbook_start   file, check, diff
//   play_start       name, hosts: [host], loc: LOC, batch?: {index, count}
//   task_start       task: TASK, hosts: [host]
//   host_result      host, task: TASK, result: RESULT
//   item_result      host, task: TASK, result: RESULT & {label, item?, loop_var}
//   progress         task: TASK, done, total
//   warning          message, host?, loc?: LOC
//   debug            level, message            (only up to the run's verbosity)
//   pending_handlers host, handlers: [name], replayed
//   play_end         name, elapsed_ms
//   recap            stats: {host: {ok, changed, unreachable, failed, skipped, rescued, ignored}},
//                    pending: {host: [handler]}, elapsed_ms, plays: [{name, elapsed_ms}],
//                    slowest: [{task, host, elapsed_ms}], changed_while_checking
//   LOC    = {file, line, col}
//   TASK   = {name, action, loc: LOC, handler, id, no_log}
//   RESULT = {status: ok|changed|failed|skipped|unreachable, msg?, hint?, rc?, stdout?, stderr?,
//             note?, skip_reason?, attempts?, ignored?, check_only?, delegated_to?,
//             changed_before_failure?, overridden?, diff?: [DIFF], data?: {module return values},
//             items?: [RESULT & {label, item?, loop_var}]}
//   DIFF   = {target, before, after} | {target, skipped: binary|"too large"|secret, summary?}
// A no_log (censored) RESULT is {status, censored: true, msg: <the censored message>, ignored?,
// check_only?, delegated_to?, items?: [{status, censored, msg, label, loop_var}]} and nothing else.
// Every string, keys included, is passed through redact() before serialising; Secret values are
// "********".

import type { EngineEvent, Reporter, TaskInfo } from '../engine/events.js';
import { CENSORED_MSG, type ItemResult, type TaskResult } from '../engine/result.js';
import type { SourceLoc } from '../errors.js';
import type { Diff } from '../modules/types.js';
import { redactedJsonValue } from './redact-value.js';

type Json = Record<string, unknown>;

function loc(l: SourceLoc): Json {
  return { file: l.file, line: l.line, col: l.col };
}

function task(t: TaskInfo): Json {
  return { name: t.name, action: t.action, loc: loc(t.loc), handler: t.isHandler, id: t.id, no_log: t.noLog };
}

function diff(d: Diff): Json {
  if ('skipped' in d) return { target: d.target, skipped: d.skipped, summary: d.summary };
  return { target: d.target, before: d.before, after: d.after };
}

/** Only status fields and the censored message: nothing else of a no_log result may leave. */
function censored(r: TaskResult): Json {
  return {
    status: r.status,
    censored: true,
    msg: CENSORED_MSG,
    ignored: r.ignored,
    check_only: r.checkOnly,
    delegated_to: r.delegatedTo,
    items: r.items?.map((i) => ({ status: i.status, censored: true, msg: CENSORED_MSG, label: '(censored due to no_log)', loop_var: i.loopVar })),
  };
}

export function resultJson(r: TaskResult): Json {
  if (r.censored) return censored(r);
  return {
    status: r.status,
    msg: r.msg,
    hint: r.hint,
    rc: r.rc,
    stdout: r.stdout,
    stderr: r.stderr,
    note: r.note,
    skip_reason: r.skipReason,
    attempts: r.attempts,
    ignored: r.ignored,
    check_only: r.checkOnly,
    delegated_to: r.delegatedTo,
    changed_before_failure: r.changedBeforeFailure,
    overridden: r.overridden,
    diff: r.diff?.map(diff),
    data: r.data,
    items: r.items?.map(itemJson),
  };
}

function itemJson(i: ItemResult): Json {
  if (i.censored) return { ...censored(i), label: '(censored due to no_log)', loop_var: i.loopVar };
  return { ...resultJson(i), label: i.label, item: i.item, loop_var: i.loopVar };
}

/** The JSON object for an event, or undefined when the event is not shown (debug above -v level). */
export function jsonEvent(e: EngineEvent, opts: { verbosity: number }, time: Date): Json | undefined {
  const head = { event: e.type, time: time.toISOString() };
  switch (e.type) {
    case 'playbook_start':
      return { ...head, file: e.file, check: e.check, diff: e.diff };
    case 'play_start':
      return { ...head, name: e.name, hosts: e.hosts, loc: loc(e.loc), batch: e.batch };
    case 'task_start':
      return { ...head, task: task(e.task), hosts: e.hosts };
    case 'host_result':
      return { ...head, host: e.host, task: task(e.task), result: resultJson(e.result) };
    case 'item_result':
      return { ...head, host: e.host, task: task(e.task), result: itemJson(e.result) };
    case 'progress':
      return { ...head, task: task(e.task), done: e.done, total: e.total };
    case 'warning':
      return { ...head, message: e.message, host: e.host, loc: e.loc ? loc(e.loc) : undefined };
    case 'debug':
      return e.level <= opts.verbosity ? { ...head, level: e.level, message: e.message } : undefined;
    case 'pending_handlers':
      return { ...head, host: e.host, handlers: e.handlers, replayed: e.replayed };
    case 'play_end':
      return { ...head, name: e.name, elapsed_ms: e.elapsedMs };
    case 'recap':
      return {
        ...head,
        stats: e.stats,
        pending: e.pending,
        elapsed_ms: e.elapsedMs,
        plays: e.plays.map((p) => ({ name: p.name, elapsed_ms: p.elapsedMs })),
        slowest: e.slowest.map((s) => ({ task: s.task, host: s.host, elapsed_ms: s.elapsedMs })),
        changed_while_checking: e.changedWhileChecking,
      };
    default: {
      const never: never = e;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export interface JsonOptions {
  out: NodeJS.WritableStream;
  verbosity: number;
  now?: () => Date;
}

export class JsonReporter implements Reporter {
  constructor(private readonly opts: JsonOptions) {}

  emit(e: EngineEvent): void {
    const obj = jsonEvent(e, this.opts, this.opts.now?.() ?? new Date());
    // Written at once, one line per event: consumers follow the run as it happens.
    if (obj) this.opts.out.write(JSON.stringify(redactedJsonValue(obj)) + '\n');
  }
}
