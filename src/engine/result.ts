// Task results: the typed union the engine passes around, Ansible's registered-variable shape
// (the only place it is built), and the recap tallies.

import type { Diff, RegisteredDiff } from '../modules/types.js';

export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface TaskResult {
  status: TaskStatus;
  msg?: string;
  hint?: string;
  rc?: number;
  stdout?: string;
  stderr?: string;
  diff?: Diff[];
  /** Module return values (dest, checksum, stat, files, ansible_facts...). */
  data?: Record<string, unknown>;
  /** Loop results, one per item. */
  items?: ItemResult[];
  /** Failed, but ignore_errors (or ignore_unreachable) let the play go on. */
  ignored?: boolean;
  /** no_log: the result is censored everywhere. */
  censored?: boolean;
  /** Why it was skipped (false condition, check mode cannot predict, ...). */
  skipReason?: string;
  /** until/retries: how many attempts were made. */
  attempts?: number;
  /** The plan was reported, not applied (check mode). */
  checkOnly?: boolean;
  /** Set for tasks delegated to another host. */
  delegatedTo?: string;
  /** A note from the module's plan (why nothing changed, or what changed). */
  note?: string;
  /** set_fact / include_vars values (not shown, applied by the engine). */
  facts?: Record<string, unknown>;
  /** Which layer `facts` go to (set_fact, or include_vars). */
  factsLayer?: 'set_fact' | 'include_vars';
  /** A failed result whose module had already changed something (a command that ran and failed). */
  changedBeforeFailure?: boolean;
  /** The `failed_when` / `changed_when` evaluation replaced the module's verdict. */
  overridden?: boolean;
  /** Failed before its module ran (a template error in arguments, condition or loop). */
  notRun?: boolean;
  /** Ansible's module `diff` value, registered with or without --diff (see registeredDiff). */
  registeredDiff?: RegisteredDiff;
  /** The module's warnings (printed when they came; registered as Ansible's `warnings`). */
  warnings?: string[];
}

export interface ItemResult extends TaskResult {
  item: unknown;
  label: string;
  /** ansible_loop_var: the variable name holding the item. */
  loopVar: string;
}

/** The skip reason of a task or item whose `when` was false. */
export const CONDITIONAL_SKIP = 'Conditional result was False';

export const CENSORED_MSG = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

function lines(s: string | undefined): string[] {
  if (s === undefined || s === '') return [];
  return s.replace(/\n$/, '').split('\n');
}

/** Ansible's diff entry shape: {before, after, before_header, after_header}. */
function diffToAnsible(d: Diff): Record<string, unknown> {
  if ('skipped' in d) return { before_header: d.target, after_header: d.target, diff_skipped: d.skipped };
  return { before: d.before, after: d.after, before_header: d.target, after_header: d.afterTarget ?? d.target };
}

/**
 * The registered `diff`: the module's own value (Ansible's shape) with the --diff entries put in.
 * A dict value (file's before/after dicts) is registered as it is. In a list, a shown entry takes
 * the place of the entry with its header (lineinfile's content entry), unless that entry's
 * before/after are dicts (an attributes entry), or is appended (copy's list). Without a module
 * value the shown entries are registered as before: one as a dict, several as a list. Shown entries
 * are the masked ones of the report: a vault value never gets in.
 */
function registeredDiff(base: RegisteredDiff | undefined, shown: Diff[] | undefined): unknown {
  const entries = (shown ?? []).map(diffToAnsible);
  if (base === undefined) {
    if (!entries.length) return undefined;
    return entries.length === 1 ? entries[0] : entries;
  }
  if (!Array.isArray(base)) return base;
  const out = base.map((e) => ({ ...e }));
  for (const e of entries) {
    const i = out.findIndex((b) => b.before_header === e.before_header);
    if (i < 0) out.push(e);
    else if (!isDict(out[i]!.before)) out[i] = e;
  }
  return out;
}

function isDict(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The registered variable for a result, shaped as Ansible's (changed, failed, skipped, msg, rc,
 * stdout(_lines), stderr(_lines), diff, results[] for loops...). no_log results keep only the
 * status keys and the censored message.
 */
export function toRegistered(r: TaskResult): Record<string, unknown> {
  const failed = r.status === 'failed' || r.status === 'unreachable';
  const changed = r.status === 'changed' || (r.status === 'failed' && r.changedBeforeFailure === true);
  const out: Record<string, unknown> = { changed, failed };
  if (r.censored) {
    out.censored = CENSORED_MSG;
    if (r.status === 'skipped') out.skipped = true;
    if (r.status === 'unreachable') out.unreachable = true;
    if (r.items) out.results = r.items.map((i) => ({ ...toRegistered(i), censored: CENSORED_MSG }));
    return out;
  }
  // Results Ansible builds without running a module have only these keys (2.14).
  if (r.notRun && r.status === 'failed') return { failed: true, msg: r.msg };
  if (r.items) return loopRegistered(r, r.items, changed, failed);
  if (r.status === 'skipped' && r.skipReason === CONDITIONAL_SKIP && !r.items) return { changed: false, skipped: true, skip_reason: r.skipReason };
  if (r.data) Object.assign(out, r.data);
  out.changed = changed;
  out.failed = failed;
  if (r.status === 'skipped') {
    out.skipped = true;
    // A module skipped in check mode says why in msg only (Ansible sets skip_reason for conditions).
    if (r.skipReason && !r.checkOnly) out.skip_reason = r.skipReason;
  }
  if (r.status === 'unreachable') out.unreachable = true;
  if (r.msg !== undefined) out.msg = r.msg;
  if (r.rc !== undefined) out.rc = r.rc;
  if (r.stdout !== undefined) {
    out.stdout = r.stdout;
    out.stdout_lines = lines(r.stdout);
  }
  if (r.stderr !== undefined) {
    out.stderr = r.stderr;
    out.stderr_lines = lines(r.stderr);
  }
  const diff = registeredDiff(r.registeredDiff, r.diff);
  if (diff !== undefined) out.diff = diff;
  if (r.attempts !== undefined) out.attempts = r.attempts;
  if (r.warnings?.length) out.warnings = [...(Array.isArray(out.warnings) ? (out.warnings as unknown[]) : []), ...r.warnings];
  return out;
}

/**
 * A loop's registered result, keyed as Ansible's TaskExecutor builds it (2.14): `results`,
 * `skipped` (all items skipped), `changed`, and `failed` only when an item failed; an empty loop
 * has `skipped_reason` (sic) instead of a message.
 */
function loopRegistered(r: TaskResult, items: ItemResult[], changed: boolean, failed: boolean): Record<string, unknown> {
  const results = items.map((i) => {
    const reg = toRegistered(i);
    reg.item = i.item;
    reg.ansible_loop_var = i.loopVar;
    return reg;
  });
  if (results.length === 0) return { changed: false, skipped: true, skipped_reason: 'No items in the list', results };
  const skipped = r.status === 'skipped';
  const out: Record<string, unknown> = { results, skipped };
  if (changed) out.changed = true;
  if (failed) {
    out.failed = true;
    out.msg = 'One or more items failed';
  } else out.msg = skipped ? 'All items skipped' : 'All items completed';
  if (!changed) out.changed = false;
  if (r.status === 'unreachable') out.unreachable = true;
  return out;
}

/** Per-host recap counters, counted as Ansible counts them. */
export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}

/**
 * Ansible's tally (strategy/__init__.py _process_pending_results): ok counts every successful
 * result, changed ones included; a failure under ignore_errors, or an unreachable under
 * ignore_unreachable, counts ok and ignored; a failure that a rescue section will handle counts
 * rescued instead of failed (`rescuable`).
 */
export function tally(stats: HostStats, r: TaskResult, rescuable = false): void {
  switch (r.status) {
    case 'ok':
      stats.ok++;
      break;
    case 'changed':
      stats.ok++;
      stats.changed++;
      break;
    case 'skipped':
      stats.skipped++;
      break;
    case 'failed':
      if (r.ignored) {
        stats.ok++;
        stats.ignored++;
        if (r.changedBeforeFailure) stats.changed++;
      } else if (rescuable) stats.rescued++;
      else stats.failed++;
      break;
    case 'unreachable':
      if (r.ignored) {
        stats.ok++;
        stats.ignored++;
      } else stats.unreachable++;
      break;
    default: {
      const never: never = r.status;
      throw new Error(`unknown status ${String(never)}`);
    }
  }
}
