// One host's (or one loop item's) result as text lines, in Ansible's layout (`ok: [host]`,
// `changed: [host] => (item=x)`, `included: f for host`) with sams' readable failure lines.

import type { TaskInfo } from '../engine/events.js';
import type { ItemResult, TaskResult, TaskStatus } from '../engine/result.js';
import { redact } from '../secret.js';
import { paint, type ColorName } from './color.js';
import { displayJson, displayPath, keyValueLines, tailLines } from './layout.js';
import { renderDiffs } from './render-diff.js';

export interface ResultStyle {
  color: boolean;
  verbosity: number;
  /** --diff (run-wide); results carry their own diffs only where the task's diff setting is on. */
  diff: boolean;
  check: boolean;
  cwd?: string;
}

/** Ansible's words and colours per status (default callback v2_runner_on_*). */
const STATUS: Record<TaskStatus, { word: string; color: ColorName }> = {
  ok: { word: 'ok', color: 'green' },
  changed: { word: 'changed', color: 'yellow' },
  skipped: { word: 'skipping', color: 'cyan' },
  failed: { word: 'failed', color: 'red' },
  unreachable: { word: 'unreachable', color: 'brightRed' },
};

/** How many lines of stderr (or stdout) a failure shows without -v. */
const FAILURE_TAIL = 10;

/** Keys of `data` never shown as module return values (status flags, or shown elsewhere). */
const HIDDEN_DATA = new Set(['changed', 'failed', 'skipped', 'msg', 'rc', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'skip_reason', 'false_condition', 'diff', 'invocation']);

const CONDITIONAL_SKIP = 'Conditional result was False';

/** The module name without Ansible's collection prefix. */
export function shortAction(action: string): string {
  return action.replace(/^ansible\.(builtin|legacy)\./, '');
}

/** `[host]`, or `[host -> delegate]` for a delegated task (Ansible's form). */
function hostTag(host: string, r: TaskResult): string {
  return r.delegatedTo && r.delegatedTo !== host ? `[${host} -> ${r.delegatedTo}]` : `[${host}]`;
}

function isBad(s: TaskStatus): boolean {
  return s === 'failed' || s === 'unreachable';
}

/** Lines for a host's task result (a loop's summary result prints little: its items printed already). */
export function renderHostResult(host: string, task: TaskInfo, r: TaskResult, st: ResultStyle): string[] {
  if (r.items !== undefined) return renderLoopSummary(host, task, r, st);
  return renderOne(host, task, r, st, undefined);
}

export function renderItemResult(host: string, task: TaskInfo, r: ItemResult, st: ResultStyle): string[] {
  return renderOne(host, task, r, st, r.label);
}

/**
 * Ansible prints nothing for a finished loop except `skipping: [host]` when every item skipped
 * and `...ignoring`; a failure no item explains (failed_when on the whole result) is printed too.
 */
function renderLoopSummary(host: string, task: TaskInfo, r: TaskResult, st: ResultStyle): string[] {
  if (r.status === 'skipped') return renderOne(host, task, { ...r, items: undefined }, st, undefined);
  if (!isBad(r.status)) return [];
  const explained = (r.items ?? []).some((i) => isBad(i.status));
  if (!explained) return renderOne(host, task, { ...r, items: undefined }, st, undefined);
  return r.ignored ? [paint('...ignoring', 'cyan', st.color)] : [];
}

function renderOne(host: string, task: TaskInfo, r: TaskResult, st: ResultStyle, label: string | undefined): string[] {
  const action = shortAction(task.action);
  const { word, color } = STATUS[r.status];
  const itemPart = label === undefined ? '' : isBad(r.status) ? ` (item=${label})` : ` => (item=${label})`;
  // Only a predicted change is marked: ok/skipped/failed read the same in check mode.
  const check = r.checkOnly && r.status === 'changed' ? ' (check mode)' : '';

  // Ansible shows no line for include_role and `included: FILE for HOST` for include_tasks.
  if (r.status === 'ok' && action === 'include_role') return [];
  if (r.status === 'ok' && action === 'include_tasks' && !r.censored) {
    const file = /^included: (.*)$/s.exec(r.msg ?? '')?.[1];
    if (file !== undefined) return [paint(`included: ${displayPath(file, st.cwd)} for ${host}${label === undefined ? '' : ` => (item=${label})`}`, 'cyan', st.color)];
  }

  const head = `${word}: ${hostTag(host, r)}${itemPart}${check}`;
  const out: string[] = [];
  // The engine attaches diffs only where the task's diff setting (keyword `diff:`, else --diff) is on,
  // so a result's diff is shown whatever the run-wide flag says, as Ansible does.
  if (r.diff?.length && r.status === 'changed' && !r.censored) out.push(...renderDiffs(r.diff, st.color));

  if (r.censored) {
    // Only what the engine left: status and the censored message (never details from elsewhere).
    const text = isBad(r.status) ? `${head}: ${r.msg ?? ''}` : head;
    out.push(paint(text, color, st.color));
    if (r.ignored && label === undefined && isBad(r.status)) out.push(paint('...ignoring', 'cyan', st.color));
    return out;
  }

  switch (r.status) {
    case 'failed':
    case 'unreachable':
      out.push(paint([failureHead(head, r), ...failureDetails(r, st)].join('\n'), color, st.color));
      if (r.ignored && label === undefined) out.push(paint('...ignoring', 'cyan', st.color));
      return out;
    case 'skipped': {
      const reason = skipReason(r, st);
      out.push(paint(reason ? `${head}: ${reason}` : head, color, st.color));
      return out;
    }
    case 'ok':
    case 'changed': {
      const dbg = action === 'debug' ? debugObject(r) : undefined;
      if (dbg !== undefined) {
        out.push(paint(`${head} => ${displayJson(dbg)}`, color, st.color));
        return out;
      }
      out.push(paint([head, ...(st.verbosity >= 1 ? verboseDetails(r, st) : [])].join('\n'), color, st.color));
      return out;
    }
    default: {
      const never: never = r.status;
      throw new Error(`unknown status ${String(never)}`);
    }
  }
}

function failureHead(head: string, r: TaskResult): string {
  let msg = r.msg ?? (r.status === 'unreachable' ? 'host unreachable' : 'failed');
  if (r.rc !== undefined) msg += ` (rc=${r.rc})`;
  if (r.attempts !== undefined && r.attempts > 1) msg += ` (after ${r.attempts} attempts)`;
  return `${head}: ${msg}`;
}

/** Without -v: the tail of stderr (else of stdout) and the hint; with -v: the full outputs too. */
function failureDetails(r: TaskResult, st: ResultStyle): string[] {
  const out: string[] = [];
  if (st.verbosity >= 1) out.push(...verboseDetails(r, st, false));
  else {
    const stream = r.stderr?.trim() ? 'stderr' : r.stdout?.trim() ? 'stdout' : undefined;
    if (stream) {
      // Redact before cutting, so a secret is never split at the cut.
      const { lines, total } = tailLines(redact(r[stream]!), FAILURE_TAIL);
      const key = total > lines.length ? `${stream} (last ${lines.length} of ${total} lines)` : stream;
      out.push(...keyValueLines(key, lines.join('\n')));
    }
  }
  if (r.hint) out.push(...keyValueLines('hint', r.hint));
  return out;
}

function skipReason(r: TaskResult, st: ResultStyle): string | undefined {
  const reason = r.skipReason;
  if (!reason) return undefined;
  // Check-mode skips (a module that cannot predict) matter without -v; false conditions do not.
  if (st.verbosity < 1 && !(st.check && reason !== CONDITIONAL_SKIP)) return undefined;
  const cond = r.data?.false_condition;
  return typeof cond === 'string' && st.verbosity >= 1 ? `${reason} (${cond})` : reason;
}

/** What debug prints: `{"msg": ...}`, or the variable `{"name": value}` (Ansible's _clean_results for debug). */
function debugObject(r: TaskResult): Record<string, unknown> | undefined {
  const data = r.data ?? {};
  if ('msg' in data) return { msg: data.msg };
  const rest = Object.fromEntries(Object.entries(data).filter(([k]) => !HIDDEN_DATA.has(k) && !k.startsWith('_')));
  if (Object.keys(rest).length) return rest;
  if (r.msg !== undefined) return { msg: r.msg };
  return undefined;
}

/** -v: msg, note, rc, outputs, attempts; -vv: the module's return values; -vvv: facts too. */
function verboseDetails(r: TaskResult, st: ResultStyle, withMsg = true): string[] {
  const out: string[] = [];
  if (withMsg && r.msg) out.push(...keyValueLines('msg', r.msg));
  if (r.note) out.push(...keyValueLines('note', r.note));
  if (withMsg && r.rc !== undefined) out.push(...keyValueLines('rc', String(r.rc)));
  if (r.stdout) out.push(...keyValueLines('stdout', redact(r.stdout)));
  if (r.stderr) out.push(...keyValueLines('stderr', redact(r.stderr)));
  if (withMsg && r.attempts !== undefined) out.push(...keyValueLines('attempts', String(r.attempts)));
  if (st.verbosity >= 2 && r.data) {
    for (const [k, v] of Object.entries(r.data).sort(([a], [b]) => a.localeCompare(b))) {
      if (HIDDEN_DATA.has(k) || k.startsWith('_') || v === undefined) continue;
      if (k === 'ansible_facts' && st.verbosity < 3) continue;
      out.push(...keyValueLines(k, typeof v === 'string' ? redact(v) : displayJson(v, 0)));
    }
  }
  return out;
}
