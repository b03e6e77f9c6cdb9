// Orchestration of a run: plays in order, their hosts and serial batches, the strategy, forced
// and pending handlers, the recap and the exit code.

import { ExitCode, SamsError } from '../errors.js';
import { selectHosts } from '../inventory/host-patterns.js';
import type { Block, Play, Playbook, Task } from '../load/model.js';
import { syntheticBlock } from '../load/tasks.js';
import { toBool } from '../modules/lib/args.js';
import { HostCursor, type Flow, type StartAt } from './host-cursor.js';
import { clearPending, pendingHosts, readPending, writePending } from './pending-handlers.js';
import { renderPlayHosts, renderPlayName, type PlayTemplating } from './play-name.js';
import { PlayRun } from './play-run.js';
import { hostRun, type RunState } from './run-state.js';
import { runFree } from './strategy-free.js';
import { runLinear, type Walker } from './strategy-linear.js';

export interface RunSummary {
  exitCode: number;
  failed: string[];
  unreachable: string[];
  changed: boolean;
}

/** Batch sizes for `serial` (a number, a percentage, or a list whose last size repeats). */
export function serialBatches(serial: unknown, hosts: string[]): string[][] {
  if (serial === undefined || serial === null || serial === 0 || serial === '0') return [hosts];
  const specs = Array.isArray(serial) ? serial : [serial];
  const size = (s: unknown): number => {
    const str = String(s).trim();
    const n = str.endsWith('%') ? Math.floor((hosts.length * Number(str.slice(0, -1))) / 100) : Number(str);
    if (!Number.isFinite(n)) throw new SamsError(`serial: cannot read ${JSON.stringify(s)}`, { hint: 'serial takes a number, a percentage like "30%", or a list of those' });
    return Math.max(1, n);
  };
  const out: string[][] = [];
  let i = 0;
  let k = 0;
  while (i < hosts.length) {
    const n = size(specs[Math.min(k, specs.length - 1)]);
    out.push(hosts.slice(i, i + n));
    i += n;
    k++;
  }
  return out;
}

function gatherTask(play: Play, state: RunState): Task | undefined {
  const g = state.templar.render(play.gatherFacts, { ...play.vars, ...state.opts.extraVars }, { loc: play.loc, what: 'gather_facts' });
  if (!(toBool(g) ?? true)) return undefined;
  const holder: Block = syntheticBlock({ loc: play.loc, origin: 'section', name: 'gather_facts' }, { play, role: undefined, parent: undefined });
  const task: Task = {
    kind: 'task',
    name: 'Gathering Facts',
    loc: play.loc,
    kw: {},
    tags: ['always'],
    when: [...play.includedWhen],
    vars: {},
    parent: holder,
    play,
    action: 'setup',
    actionAsWritten: 'gather_facts',
    args: play.gatherSubset !== undefined ? { gather_subset: play.gatherSubset } : {},
    argsLoc: play.loc,
    notify: [],
    isHandler: false,
    id: `${play.loc.file}:${play.loc.line}:${play.loc.col}#gather`,
  };
  holder.block = [task];
  return task;
}

/**
 * The play's hosts: its pattern (templated with play and extra vars) within --limit. Hosts that
 * failed or were unreachable in an earlier play stay in the list (Ansible's ansible_play_hosts_all
 * shows them) but do not run; a `meta: clear_host_errors` brings failed ones back for the plays
 * after (not unreachable ones: Ansible keeps those out for the rest of the run).
 */
function playTemplating(state: RunState): PlayTemplating {
  return { templar: state.templar, extraVars: state.opts.extraVars, inventory: state.inventory };
}

function playHosts(play: Play, state: RunState): string[] {
  const pattern = renderPlayHosts(play, playTemplating(state));
  const patterns = Array.isArray(pattern) ? pattern.map(String) : String(pattern);
  const selected = selectHosts(state.inventory, patterns, {
    loc: play.loc,
    limit: state.opts.limit,
    onUnmatched: (p) => state.reporter.emit({ type: 'warning', message: `could not match supplied host pattern, ignoring: ${p}`, loc: play.loc }),
  });
  return selected;
}

/**
 * The key a play's pending handlers are kept under: its name, and for the second and later plays
 * of the same name also their rank among them (`name#2`), so that they never share an entry.
 */
function pendingKeys(plays: Play[]): Map<Play, string> {
  const seen = new Map<string, number>();
  return new Map(
    plays.map((p) => {
      const n = (seen.get(p.name) ?? 0) + 1;
      seen.set(p.name, n);
      return [p, n === 1 ? p.name : `${p.name}#${n}`];
    }),
  );
}

export async function runPlaybook(pb: Playbook, state: RunState, prompts: Map<Play, Record<string, unknown>>): Promise<RunSummary> {
  const started = Date.now();
  const rep = state.reporter;
  const playTimes: { name: string; elapsedMs: number }[] = [];
  const pendingReport: Record<string, string[]> = {};
  rep.emit({ type: 'playbook_start', file: pb.file, check: state.opts.check, diff: state.opts.diff });
  for (const w of pb.warnings) rep.emit({ type: 'warning', message: w.message, loc: w.loc });
  // --check only reports the pending state: a dry run must not consume a restart that is still
  // owed, nor keep one for a change that was only planned.
  const check = state.opts.check;
  if (state.opts.clearPending) {
    if (check) {
      const hosts = pendingHosts(state.settings.stateDir, pb.file);
      if (hosts.length) rep.emit({ type: 'warning', message: `--check: pending handlers kept for ${hosts.join(', ')} would be discarded (nothing was discarded)` });
    } else {
      const hosts = clearPending(state.settings.stateDir, pb.file);
      if (hosts.length) rep.emit({ type: 'warning', message: `discarded pending handlers kept for: ${hosts.join(', ')}` });
    }
  }
  const startAt: StartAt = { pattern: state.opts.startAtTask, reached: false };
  // What earlier runs kept, read once per host before this run writes anything for it: handlers
  // a play of this run leaves pending are for the next run, never for a later play of this one.
  const atStart = new Map<string, Record<string, string[]>>();
  const keptAtStart = (h: string) => {
    if (!atStart.has(h)) atStart.set(h, readPending(state.settings.stateDir, pb.file, h));
    return atStart.get(h)!;
  };
  const playKeys = pendingKeys(pb.plays);

  let stop = false;
  for (const play of pb.plays) {
    if (stop) break;
    const playStarted = Date.now();
    const hosts = playHosts(play, state);
    // The banner shows the name templated (Ansible's post_validate before the play starts).
    const shownName = renderPlayName(play, playTemplating(state));
    if (hosts.length === 0) {
      rep.emit({ type: 'play_start', name: shownName, hosts: [], loc: play.loc });
      rep.emit({ type: 'warning', message: `play '${play.name}': no hosts matched, skipping`, loc: play.loc });
      continue;
    }
    const batches = serialBatches(play.serial, hosts);
    const gather = gatherTask(play, state);
    for (let bi = 0; bi < batches.length; bi++) {
      const batch = batches[bi]!;
      const outBefore = new Set(batch.filter((h) => state.hosts.get(h)?.failed || state.hosts.get(h)?.unreachable));
      const pr = new PlayRun(state, play, hosts, batch, prompts.get(play) ?? {}, outBefore);
      rep.emit({ type: 'play_start', name: shownName, hosts: batch.filter((h) => !outBefore.has(h)), loc: play.loc, batch: batches.length > 1 ? { index: bi + 1, count: batches.length } : undefined });
      const walkers = new Map<string, Walker>();
      for (const h of batch) {
        if (outBefore.has(h)) continue;
        hostRun(state, h).inPlay = true;
        const kept = state.opts.clearPending ? [] : (keptAtStart(h)[playKeys.get(play)!] ?? []);
        if (kept.length && check) {
          const n = kept.length === 1 ? '1 handler' : `${kept.length} handlers`;
          rep.emit({ type: 'warning', host: h, message: `${n} pending from an earlier run would run in this play: ${kept.join(', ')} (--check keeps them for the next run)` });
        }
        const carried = check ? [] : kept;
        if (carried.length) rep.emit({ type: 'pending_handlers', host: h, handlers: carried, replayed: true });
        const cursor = new HostCursor(pr, h, { only: state.opts.tags, skip: state.opts.skipTags }, startAt, carried);
        walkers.set(h, { host: h, cursor, gen: cursor.run(gather) });
      }
      const flows = play.strategy === 'free' ? await runFree(pr, walkers) : await runLinear(pr, walkers);

      // force_handlers: a host that fails runs the flush ending its section with the others (in
      // the cursor); hosts stopped without it (any_errors_fatal, a failing handler) run theirs here.
      const forced = state.opts.forceHandlers || play.forceHandlers;
      if (forced) {
        const again = new Map<string, Walker>();
        for (const [h, w] of walkers) {
          if (flows.get(h) === 'failed' && !w.cursor.forcedFlushDone && w.cursor.notified.size > 0) again.set(h, { host: h, cursor: w.cursor, gen: w.cursor.flush([1000], true) });
        }
        if (again.size) await runLinear(pr, again);
      }
      for (const [h, w] of walkers) {
        if (check) continue;
        const names = w.cursor.pendingHandlerNames();
        const flow: Flow | undefined = flows.get(h);
        const ranToEnd = flow === 'ok';
        writePending(state.settings.stateDir, pb.file, h, playKeys.get(play)!, ranToEnd ? [] : names);
        if (!ranToEnd && names.length) {
          pendingReport[h] = [...(pendingReport[h] ?? []), ...names];
          rep.emit({ type: 'pending_handlers', host: h, handlers: names, replayed: false });
        }
      }
      // Ansible ends the whole run when a batch fails entirely, or on any_errors_fatal/max_fail_percentage.
      // It counts the hosts that went out in this batch against the whole batch, hosts that were
      // out since earlier plays included (so such a batch never counts as failed entirely).
      const out = batch.filter((h) => {
        const r = state.hosts.get(h)!;
        return (r.failed || r.unreachable) && !outBefore.has(h);
      });
      if (out.length === batch.length) {
        stop = true;
        break;
      }
      if ([...flows.values()].includes('end_play')) break;
    }
    const elapsed = Date.now() - playStarted;
    playTimes.push({ name: play.name, elapsedMs: elapsed });
    rep.emit({ type: 'play_end', name: play.name, elapsedMs: elapsed });
  }

  const stats = Object.fromEntries([...state.hosts].filter(([, r]) => r.inPlay).map(([h, r]) => [h, r.stats]));
  const slowest = [...state.timings].sort((a, b) => b.elapsedMs - a.elapsedMs).slice(0, 5);
  rep.emit({
    type: 'recap',
    stats,
    pending: pendingReport,
    elapsedMs: Date.now() - started,
    plays: playTimes,
    slowest,
    changedWhileChecking: state.opts.check && state.changed,
  });
  const unreachable = [...state.hosts.values()].filter((r) => r.stats.unreachable > 0).map((r) => r.name);
  // A host counts as failed while its failed state holds: a rescue or `meta: clear_host_errors`
  // clears it (Ansible exits 0 then, though the recap still counts the failure).
  const failed = [...state.hosts.values()].filter((r) => r.failed).map((r) => r.name);
  const exitCode = unreachable.length ? ExitCode.unreachableOrLoad : failed.length ? ExitCode.hostFailed : ExitCode.ok;
  return { exitCode, failed, unreachable, changed: state.changed };
}

/** Close every connection opened during the run. */
export async function closeConnections(state: RunState): Promise<void> {
  const all = [...state.hosts.values()].flatMap((h) => [...h.connections.values()]);
  await Promise.all(all.map((p) => p.then((c) => c.close()).catch(() => undefined)));
}
