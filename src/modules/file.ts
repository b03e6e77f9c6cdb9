// file: a path's state on the target (file, directory, symlink, hard link, touched, absent), its
// owner/group/mode (recursively for directories) and its access/modification times, as Ansible's.

import { z } from 'zod';
import { fileStateCommand, parseFileStates, parseRealpaths, realpathsCommand, type FileState } from '../facts/file-state.js';
import { andThen, raw, sh, ShellCommand } from '../shell/quote.js';
import { zBool, zMode, zStr } from './lib/args.js';
import { applySymbolicMode, formatMode, newPathAttrs, planAttrs, sameUser, type WantedAttrs } from './lib/file-attrs.js';
import { idLookupScript, missingPrincipal, missingPrincipalWarning, parseIdLookup, type IdLookup } from './lib/id-lookup.js';
import { ansibleState, attrDiff, dictDiff, newPathState, pathInfo, withAttrs, type AnsibleFileState } from './lib/path-info.js';
import { runSections, type ProbeSection } from './lib/probe-sections.js';
import { replaceWithLink } from './lib/replace-link.js';
import { ancestors, pyBasename, pyDirname, pyJoin } from '../python/posixpath.js';
import { PyDateTime, strptime, StrptimeError } from '../python/datetime.js';
import { parseResolvedTreeListing, resolvedTreeListingScript, type TreeEntry } from './lib/tree-listing.js';
import { defineModule, type Plan, type PlanEnv, type Step } from './types.js';

const STATES = ['absent', 'directory', 'file', 'hard', 'link', 'touch'] as const;
type State = (typeof STATES)[number];

export const DEFAULT_TIME_FORMAT = '%Y%m%d%H%M.%S';

const args = z
  .object({
    path: zStr().optional(),
    dest: zStr().optional(),
    name: zStr().optional(),
    state: z.enum(STATES).optional(),
    owner: zStr().optional(),
    group: zStr().optional(),
    mode: zMode().optional(),
    recurse: zBool().default(false),
    force: zBool().default(false),
    follow: zBool().default(true),
    src: zStr().optional(),
    modification_time: zStr().optional(),
    modification_time_format: zStr().default(DEFAULT_TIME_FORMAT),
    access_time: zStr().optional(),
    access_time_format: zStr().default(DEFAULT_TIME_FORMAT),
  })
  .strict()
  .superRefine((a, ctx) => {
    const issue = (message: string, path: string[]) => ctx.addIssue({ code: 'custom', message, path });
    const given = (['path', 'dest', 'name'] as const).filter((k) => a[k] !== undefined);
    if (given.length === 0) issue('missing required argument: path', []);
    else if (given.length > 1) issue(`path, dest and name are the same argument: give only one (got ${given.join(', ')})`, [given[1]!]);
    else if (a[given[0]!] === '') issue('path must not be empty', [given[0]!]);
    if (a.mode === 'preserve') issue("mode 'preserve' is only for copy and template", ['mode']);
    if (a.recurse && a.state !== undefined && a.state !== 'directory') issue("recurse option requires state to be 'directory'", ['recurse']);
    if (a.src !== undefined && a.state !== undefined && a.state !== 'link' && a.state !== 'hard') issue("src option requires state to be 'link' or 'hard'", ['src']);
    for (const [k, f] of [
      ['modification_time', 'modification_time_format'],
      ['access_time', 'access_time_format'],
    ] as const) {
      const v = a[k];
      if (v === undefined || v === 'now' || v === 'preserve') continue;
      try {
        strptime(v, a[f]);
      } catch (e) {
        if (!(e instanceof StrptimeError)) throw e;
        issue(`Error while obtaining timestamp for time ${v} using format ${a[f]}: ${e.message}`, [k]);
      }
    }
  });

export type FileArgs = z.output<typeof args>;

export function filePath(a: FileArgs): string {
  return a.path ?? a.dest ?? a.name ?? '';
}

/** What the probe read: the state of every path the plan may look at, by path. */
export interface FileProbe {
  /** lstat (a link is reported as a link). */
  lstat: Record<string, FileState>;
  /** stat -L (a link is reported as its target; absent when dangling). */
  stat: Record<string, FileState>;
  /** readlink -f of the path (and of path/basename(src)). */
  realpath: Record<string, string>;
  ids: IdLookup;
  /** Explicit modification_time / access_time as epoch seconds on the target (its time zone); `now`: the target's clock when a time is 'now' (for the diff). */
  epochs: { mtime?: number; atime?: number; now?: number };
  /** Entries below the directory (recurse, or state=absent for the diff). */
  below?: TreeEntry[];
  /** For state=link over a directory: whether it has entries. */
  dirNotEmpty?: boolean;
}

/** The paths a probe reads for these arguments. Pure; plan() looks up only these. */
export function probePaths(a: FileArgs): { lstat: string[]; stat: string[]; realpath: string[] } {
  const p = filePath(a);
  const inner = a.src !== undefined && a.state !== 'link' && a.state !== 'absent' ? pyJoin(p, pyBasename(a.src)) : undefined;
  const lstat = [p, ...(inner ? [inner] : [])];
  const stat = [...lstat];
  if (a.state === undefined || a.state === 'directory') stat.push(...ancestors(p));
  if (a.src !== undefined) {
    if (a.state === 'link') stat.push(pyJoin(pyDirname(p), a.src), pyJoin(p, a.src));
    else stat.push(a.src);
  }
  return { lstat, stat: [...new Set(stat)], realpath: lstat };
}

/** The wall-clock time as 'YYYY-MM-DD HH:MM:SS', which GNU touch -d reads as local time on the target. */
export function timeText(v: string | undefined, format: string): string | undefined {
  if (v === undefined || v === 'now' || v === 'preserve') return undefined;
  // time.strptime's struct, normalised as time.mktime does (a 29 February without a year, a leap second).
  const t = strptime(v, format);
  return PyDateTime.fromParts(t.year, t.month, t.day, t.hour, t.minute, t.second).str();
}

export function fileProbeSections(a: FileArgs, diff: boolean): ProbeSection[] {
  const p = filePath(a);
  const paths = probePaths(a);
  const sections: ProbeSection[] = [
    { name: 'lstat', script: fileStateCommand(paths.lstat) },
    { name: 'stat', script: fileStateCommand(paths.stat, { follow: true }) },
    { name: 'realpath', script: realpathsCommand(paths.realpath) },
    { name: 'ids', script: idLookupScript(a.owner, a.group) },
  ];
  const times: string[] = [];
  const mt = timeText(a.modification_time, a.modification_time_format);
  const at = timeText(a.access_time, a.access_time_format);
  if (mt) times.push(sh`printf 'mtime=%s\\n' "$(date -d ${mt} +%s)"`.text);
  if (at) times.push(sh`printf 'atime=%s\\n' "$(date -d ${at} +%s)"`.text);
  // Ansible's diff of a 'now' time shows the time it set: the probe's clock stands in for it.
  if (a.state === 'touch' || a.modification_time === 'now' || a.access_time === 'now') times.push(sh`printf 'now=%s\\n' "$(date +%s.%N)"`.text);
  if (times.length) sections.push({ name: 'times', script: sh`${raw(times.join('\n'))}` });
  if (a.recurse) {
    sections.push({ name: 'below', script: resolvedTreeListingScript(p) });
  } else if (diff && (a.state === 'absent' || a.state === undefined)) {
    sections.push({ name: 'below', script: sh`[ ! -L ${p} ] && ${resolvedTreeListingScript(p)}` });
  }
  if (a.state === 'link') sections.push({ name: 'nonempty', script: sh`[ -d ${p} ] && [ ! -L ${p} ] && ls -A -- ${p} | head -n 1` });
  return sections;
}

/** Build the probe result from each section's output. Pure. */
export function parseFileProbe(a: FileArgs, out: Map<string, { stdout: string }>): FileProbe {
  const paths = probePaths(a);
  const byPath = (states: FileState[]) => Object.fromEntries(states.map((s) => [s.path, s]));
  const probe: FileProbe = {
    lstat: byPath(parseFileStates(out.get('lstat')!.stdout, paths.lstat)),
    stat: byPath(parseFileStates(out.get('stat')!.stdout, paths.stat, { follow: true })),
    realpath: parseRealpaths(out.get('realpath')?.stdout ?? '', paths.realpath),
    ids: parseIdLookup(out.get('ids')?.stdout ?? '', a.owner, a.group),
    epochs: {},
  };
  const times = out.get('times')?.stdout ?? '';
  for (const m of times.matchAll(/^(mtime|atime|now)=(.*)$/gm)) probe.epochs[m[1] as 'mtime' | 'atime' | 'now'] = m[2] === '' ? NaN : Number(m[2]);
  const below = out.get('below');
  if (below) probe.below = parseResolvedTreeListing(below.stdout);
  const ne = out.get('nonempty');
  if (ne) probe.dirNotEmpty = ne.stdout.trim() !== '';
  return probe;
}

// ---- planning (pure) ----

type TimeSpec = null | 'now' | number;

interface Ctx {
  a: FileArgs;
  p: FileProbe;
  env: PlanEnv;
  want: WantedAttrs;
}

function fail(msg: string, hint?: string): Plan {
  return { kind: 'fail', msg, hint };
}

function run(cmd: ShellCommand): Step {
  return { kind: 'run', cmd };
}

function timeSpecs(c: Ctx, state: State): { m: TimeSpec; at: TimeSpec } | { error: string } {
  const one = (v: string | undefined, epoch: number | undefined, format: string): TimeSpec | { error: string } => {
    const s = v ?? (state === 'touch' ? 'now' : 'preserve');
    if (s === 'preserve') return null;
    if (s === 'now') return 'now';
    if (epoch === undefined || Number.isNaN(epoch)) return { error: `Error while obtaining timestamp for time ${s} using format ${format}: the target's date(1) could not read it` };
    return epoch;
  };
  const m = one(c.a.modification_time, c.p.epochs.mtime, c.a.modification_time_format);
  const at = one(c.a.access_time, c.p.epochs.atime, c.a.access_time_format);
  if (m !== null && typeof m === 'object') return m;
  if (at !== null && typeof at === 'object') return at;
  return { m, at };
}

interface TimesPlan {
  cmd?: ShellCommand;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/**
 * Ansible's update_timestamp_for_file: 'now' always changes; explicit times change when different.
 * The diff records each time that changes; for 'now' the after value is `now` (the probe's clock).
 */
function planTimes(path: string, st: FileState | undefined, t: { m: TimeSpec; at: TimeSpec }, now?: number): TimesPlan {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (t.m === null && t.at === null) return { before, after };
  const record = (key: 'mtime' | 'atime', cur: number | undefined, to: number | undefined) => {
    if (cur === undefined || to === undefined) return;
    before[key] = cur;
    after[key] = to;
  };
  if (t.m === 'now' && t.at === 'now') {
    record('mtime', st?.mtime, now);
    record('atime', st?.atime, now);
    return { cmd: sh`touch -c -- ${path}`, before, after };
  }
  const parts: ShellCommand[] = [];
  const one = (spec: TimeSpec, cur: number | undefined, flag: '-m' | '-a', key: 'mtime' | 'atime') => {
    if (spec === null) return;
    if (spec === 'now') {
      record(key, cur, now);
      parts.push(sh`touch -c ${flag} -- ${path}`);
      return;
    }
    if (cur === spec) return;
    before[key] = cur;
    after[key] = spec;
    parts.push(sh`touch -c ${flag} -d ${`@${spec}`} -- ${path}`);
  };
  one(t.m, st?.mtime, '-m', 'mtime');
  one(t.at, st?.atime, '-a', 'atime');
  if (!parts.length) return { before, after };
  return { cmd: andThen(...parts), before, after };
}

/** recurse: one chown/chgrp/chmod -R per attribute that differs anywhere in the tree (links keep their mode). */
function planRecurse(root: string, top: FileState, below: TreeEntry[], want: WantedAttrs): ShellCommand[] {
  const all = [{ owner: top.owner, group: top.group, uid: top.uid, gid: top.gid, mode: top.mode ?? '0000', type: top.type }, ...below];
  const cmds: ShellCommand[] = [];
  if (want.owner !== undefined && all.some((e) => !sameUser(want.owner!, e.owner, e.uid))) cmds.push(sh`chown -R ${want.owner} -- ${root}`);
  if (want.group !== undefined && all.some((e) => !sameUser(want.group!, e.group, e.gid))) cmds.push(sh`chgrp -R ${want.group} -- ${root}`);
  if (want.mode !== undefined) {
    const octal = /^0?[0-7]{3,4}$/.test(want.mode);
    const differs = all.some((e) => {
      if (e.type === 'link') return false;
      const cur = parseInt(e.mode, 8);
      const w = octal ? parseInt(want.mode!, 8) : applySymbolicMode(cur, want.mode!, e.type === 'directory');
      return w !== cur;
    });
    // chmod -R applies a symbolic mode per entry (X, u=g...) as Ansible does; links are skipped.
    if (differs) cmds.push(sh`chmod -R ${octal ? formatMode(parseInt(want.mode, 8)) : want.mode} -- ${root}`);
  }
  return cmds;
}

function recurseTimes(root: string, below: TreeEntry[], t: { m: TimeSpec; at: TimeSpec }): ShellCommand[] {
  const cmds: ShellCommand[] = [];
  for (const [spec, key, flag] of [
    [t.m, 'mtime', '-m'],
    [t.at, 'atime', '-a'],
  ] as const) {
    if (spec === null) continue;
    const files = below.filter((e) => e.type !== 'link');
    if (!files.length) continue;
    if (spec === 'now') cmds.push(sh`find ${root} -mindepth 1 ! -type l -exec touch -c ${flag} -- {} +`);
    else if (files.some((e) => e[key] !== spec)) cmds.push(sh`find ${root} -mindepth 1 ! -type l -exec touch -c ${flag} -d ${`@${spec}`} -- {} +`);
  }
  return cmds;
}

/** Ansible's initial_diff(): the path, and the state when it changes. */
function initialDiff(path: string, prev: AnsibleFileState, state: State): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const before: Record<string, unknown> = { path };
  const after: Record<string, unknown> = { path };
  if (prev !== state) {
    before.state = prev;
    after.state = state;
  }
  return { before, after };
}

function result(
  steps: (Step | undefined)[],
  diff: { before: Record<string, unknown>; after: Record<string, unknown> },
  data: Record<string, unknown>,
  diffTarget: string,
): Plan {
  const real = steps.filter((s): s is Step => s !== undefined);
  // Ansible's file returns its diff dicts whether or not anything changed, --diff or not.
  const registeredDiff = { before: { ...diff.before }, after: { ...diff.after } };
  if (!real.length) return { kind: 'ok', data, registeredDiff };
  return { kind: 'change', steps: real, diff: [dictDiff(diffTarget, diff.before, diff.after)], data, registeredDiff };
}

function cmdStep(cmd: ShellCommand | undefined): Step | undefined {
  return cmd ? run(cmd) : undefined;
}

function mergeDiff(into: { before: Record<string, unknown>; after: Record<string, unknown> }, extra: { before: Record<string, unknown>; after: Record<string, unknown> }) {
  Object.assign(into.before, extra.before);
  Object.assign(into.after, extra.after);
}

/**
 * owner/group/mode (following links), then the times, for an existing `st`: their entries merged
 * into `diff`, the two steps, and the state after.
 */
function attrsAndTimes(c: Ctx, path: string, st: FileState, times: { m: TimeSpec; at: TimeSpec }, diff: Parameters<typeof mergeDiff>[0]) {
  const after = withAttrs(st, c.want, c.p.ids);
  mergeDiff(diff, attrDiff(st, after));
  const t = planTimes(path, st, times, c.p.epochs.now);
  mergeDiff(diff, t);
  return { attrs: cmdStep(planAttrs(path, st, c.want, { follow: true }).command), times: cmdStep(t.cmd), after };
}

/** The path the module acts on, for `follow` on a link: its real path and the target's state. */
function followed(c: Ctx, path: string): { path: string; st: FileState | undefined } {
  const lst = c.p.lstat[path];
  if (c.a.follow && lst?.exists && lst.type === 'link') {
    const st = c.p.stat[path];
    return { path: c.p.realpath[path] ?? path, st: st && st.exists ? st : { path: c.p.realpath[path] ?? path, exists: false } };
  }
  return { path, st: lst };
}

function planAbsent(c: Ctx, path: string): Plan {
  const lst = c.p.lstat[path];
  const prev = ansibleState(lst);
  if (prev === 'absent') return { kind: 'ok', data: { path, state: 'absent' } };
  const diff = initialDiff(path, prev, 'absent');
  if (prev === 'directory' && c.p.below) {
    const join = (r: string) => pyJoin(path, r);
    diff.before.path_content = {
      directories: c.p.below.filter((e) => e.type === 'directory').map((e) => join(e.rel)),
      files: c.p.below.filter((e) => e.type !== 'directory').map((e) => join(e.rel)),
    };
  }
  const cmd = prev === 'directory' ? sh`rm -rf -- ${path}` : sh`rm -f -- ${path}`;
  const registeredDiff = { before: { ...diff.before }, after: { ...diff.after } };
  return { kind: 'change', steps: [run(cmd)], diff: [dictDiff(path, diff.before, diff.after)], data: { path, state: 'absent' }, registeredDiff };
}

function planFileState(c: Ctx, path0: string, times: { m: TimeSpec; at: TimeSpec }): Plan {
  const prev0 = ansibleState(c.p.lstat[path0]);
  const { path, st } = prev0 === 'link' ? followed(c, path0) : { path: path0, st: c.p.lstat[path0] };
  const prev = ansibleState(st);
  if (prev !== 'file' && prev !== 'hard') return { kind: 'fail', msg: `file (${path}) is ${prev}, cannot continue`, data: { path, state: prev } };
  const diff = initialDiff(path, prev, 'file');
  const r = attrsAndTimes(c, path, st!, times, diff);
  return result([r.attrs, r.times], diff, { path, ...pathInfo(r.after) }, path);
}

function planDirectory(c: Ctx, path0: string, times: { m: TimeSpec; at: TimeSpec }): Plan {
  const prev0 = ansibleState(c.p.lstat[path0]);
  const { path, st } = prev0 === 'link' ? followed(c, path0) : { path: path0, st: c.p.lstat[path0] };
  const prev = ansibleState(st);
  const diff = initialDiff(path, prev, 'directory');
  if (prev === 'absent') {
    const steps: (Step | undefined)[] = [];
    if (path !== path0) {
      // A dangling link followed: create its target (its parents were not probed).
      steps.push(run(sh`mkdir -p -- ${path}`), cmdStep(newPathAttrs(path, c.want)));
    } else {
      for (const anc of ancestors(path)) {
        const s = c.p.stat[anc];
        if (s?.exists) {
          if (s.type !== 'directory') return fail(`There was an issue creating ${anc} as requested: ${anc} exists and is not a directory`);
          continue;
        }
        // Ansible gives every directory it creates the task's owner/group/mode, not only the last.
        steps.push(run(sh`mkdir -- ${anc}`), cmdStep(newPathAttrs(anc, c.want)));
      }
      steps.push(run(sh`mkdir -- ${path}`), cmdStep(newPathAttrs(path, c.want)));
    }
    const created = newPathState(path, 'directory', c.want, c.p.ids);
    mergeDiff(diff, attrDiff(newPathState(path, 'directory', {}, c.p.ids), created));
    steps.push(cmdStep(planTimes(path, created, times).cmd));
    return result(steps, diff, { path, ...pathInfo(created) }, path);
  }
  if (prev !== 'directory') return { kind: 'fail', msg: `${path} already exists as a ${prev}`, data: { path } };
  const r = attrsAndTimes(c, path, st!, times, diff);
  let steps: (Step | undefined)[];
  if (c.a.recurse) {
    const below = c.p.below ?? [];
    steps = [...planRecurse(path, st!, below, c.want).map(run), r.times, ...recurseTimes(path, below, times).map(run)];
  } else {
    steps = [r.attrs, r.times];
  }
  return result(steps, diff, { path, ...pathInfo(r.after) }, path);
}

function planLink(c: Ctx, path: string, times: { m: TimeSpec; at: TimeSpec }): Plan {
  const lst = c.p.lstat[path];
  const prev = ansibleState(lst);
  let src = c.a.src;
  // Ansible keeps the current target of a link that resolves (os.path.exists follows it).
  if (src === undefined && c.a.follow && prev === 'link' && c.p.stat[path]?.exists) src = lst!.linkTarget;
  const relpath = prev === 'directory' ? path : pyDirname(path);
  const absrc = src === undefined ? undefined : pyJoin(relpath, src);
  // A src read from the link resolves (checked above); only a given src is probed at absrc.
  const srcExists = c.a.src === undefined ? src !== undefined : !!c.p.stat[absrc!]?.exists;
  if (!c.a.force && absrc !== undefined && !srcExists) {
    return { kind: 'fail', msg: `src file does not exist, use "force=yes" if you really want to create the link: ${absrc}`, hint: 'or create the target first', data: { path, src } };
  }
  if (prev === 'directory') {
    if (!c.a.force) return { kind: 'fail', msg: `refusing to convert from directory to symlink for ${path}`, data: { path } };
    if (c.p.dirNotEmpty) return { kind: 'fail', msg: `the directory ${path} is not empty, refusing to convert it`, data: { path } };
  } else if ((prev === 'file' || prev === 'hard') && !c.a.force) {
    return { kind: 'fail', msg: `refusing to convert from ${prev} to symlink for ${path}`, data: { path } };
  }
  const diff = initialDiff(path, prev, 'link');
  let changed = false;
  if (prev !== 'link') {
    if (src === undefined) return fail('src is required for creating new symlinks');
    changed = true;
  } else if (src !== undefined && lst!.linkTarget !== src) {
    diff.before.src = lst!.linkTarget;
    diff.after.src = src;
    changed = true;
  }
  const steps: (Step | undefined)[] = [];
  if (changed) {
    if (prev === 'absent') steps.push(run(sh`ln -s -- ${src!} ${path}`));
    else {
      // Replace atomically: a new link beside it, renamed over it.
      const pre = prev === 'directory' ? sh`rmdir -- ${path} && ` : sh``;
      steps.push(run(replaceWithLink(path, src!, 'symbolic', pre)));
    }
  }
  // Attributes: of the link's target when following (if it exists), else of the link itself.
  const targetSt = c.a.follow ? (changed ? (absrc !== undefined ? c.p.stat[absrc] : undefined) : c.p.stat[path]) : undefined;
  // (Ansible warns when following a link whose target does not exist; the probe says so.)
  let info: Record<string, unknown> = {};
  if (c.a.follow) {
    if (targetSt?.exists) {
      const r = attrsAndTimes(c, path, { ...targetSt, followed: true }, times, diff);
      steps.push(r.attrs, r.times);
    }
  } else if (changed) {
    steps.push(cmdStep(newPathAttrs(path, c.want, true)));
  } else {
    steps.push(cmdStep(planAttrs(path, lst!, c.want, { follow: false }).command));
  }
  // add_path_info: the link's own lstat, and only when the link resolves.
  const resolves = changed ? absrc !== undefined && srcExists : c.p.stat[path]?.exists;
  if (resolves) {
    const ids = c.p.ids;
    const base: FileState = changed
      ? { path, exists: true, type: 'link', mode: '0777', size: Buffer.byteLength(src!), owner: ids.me?.name, uid: ids.me?.id, group: ids.myGroup?.name, gid: ids.myGroup?.id }
      : lst!;
    info = pathInfo(c.a.follow ? base : withAttrs(base, { owner: c.want.owner, group: c.want.group }, ids));
  }
  return result(steps, diff, { dest: path, src: src ?? null, ...info }, path);
}

function planHard(c: Ctx, path: string, times: { m: TimeSpec; at: TimeSpec }): Plan {
  const lst = c.p.lstat[path];
  const prev = ansibleState(lst);
  const src = c.a.src;
  if (prev !== 'hard' && src === undefined) return fail('src is required for creating new hardlinks');
  const srcSt = src !== undefined ? c.p.stat[src] : undefined;
  if (src !== undefined && !srcSt?.exists) return { kind: 'fail', msg: 'src does not exist', data: { dest: path, src } };
  const diff = initialDiff(path, prev, 'hard');
  let changed = false;
  switch (prev) {
    case 'absent':
      changed = true;
      break;
    case 'link':
      if (lst!.linkTarget !== src) {
        diff.before.src = lst!.linkTarget;
        diff.after.src = src;
        changed = true;
      }
      break;
    case 'hard':
      if (src !== undefined && c.p.stat[path]?.inode !== srcSt!.inode) {
        changed = true;
        if (!c.a.force) return { kind: 'fail', msg: 'Cannot link, different hard link exists at destination', data: { dest: path, src } };
      }
      break;
    case 'file':
      changed = true;
      if (!c.a.force) return { kind: 'fail', msg: 'Cannot link, file exists at destination', data: { dest: path, src } };
      break;
    case 'directory':
      if (c.p.stat[path]?.inode === srcSt?.inode) return { kind: 'ok', data: { path }, registeredDiff: { before: { ...diff.before }, after: { ...diff.after } } };
      return { kind: 'fail', msg: `Cannot link: ${path} is a directory`, data: { dest: path, src } };
  }
  const steps: (Step | undefined)[] = [];
  if (changed) {
    if (prev === 'absent') steps.push(run(sh`ln -- ${src!} ${path}`));
    else steps.push(run(replaceWithLink(path, src!, 'hard')));
  }
  // After linking, the path is the source's inode: its attributes are what owner/group/mode compare with.
  const cur = changed ? { ...srcSt!, path, nlink: (srcSt!.nlink ?? 1) + 1 } : (c.p.stat[path] ?? lst!);
  const r = attrsAndTimes(c, path, { ...cur, followed: true }, times, diff);
  steps.push(r.attrs, r.times);
  return result(steps, diff, { dest: path, src, ...pathInfo({ ...r.after, type: 'file', followed: false }) }, path);
}

function planTouch(c: Ctx, path0: string, times: { m: TimeSpec; at: TimeSpec }): Plan {
  const lst = c.p.lstat[path0];
  const prev = ansibleState(lst);
  const now = c.p.epochs.now;
  if (prev === 'absent') {
    const fresh = newPathState(path0, 'file', {}, c.p.ids);
    const created = newPathState(path0, 'file', c.want, c.p.ids);
    // touch(1) creates the file with both times set to now; explicit times follow.
    const t = planTimes(path0, undefined, { m: times.m === 'now' ? null : times.m, at: times.at === 'now' ? null : times.at });
    const steps = [run(sh`touch -- ${path0}`), cmdStep(newPathAttrs(path0, c.want)), cmdStep(t.cmd)];
    // Ansible's diff: the new file's mode and times (as created) against the wanted ones.
    const diff = initialDiff(path0, 'absent', 'touch');
    mergeDiff(diff, attrDiff(fresh, created));
    mergeDiff(diff, planTimes(path0, { ...fresh, mtime: now, atime: now }, times, now));
    return result(steps, diff, { dest: path0, ...pathInfo(created) }, path0);
  }
  const { path, st } = prev === 'link' ? followed(c, path0) : { path: path0, st: lst };
  if (!st?.exists || (prev === 'link' && !c.a.follow && !c.p.stat[path0]?.exists)) {
    // os.utime follows the link: a dangling one cannot be touched (Ansible reports the followed path).
    const target = c.a.follow ? path : path0;
    return { kind: 'fail', msg: `Error while updating modification or access time: [Errno 2] No such file or directory: b'${target}'`, data: { path: target } };
  }
  const diff = initialDiff(path0, prev, 'touch');
  const r = attrsAndTimes(c, path, st, times, diff);
  return result([r.attrs, r.times], diff, { dest: path0, ...pathInfo(prev === 'link' ? lst : r.after) }, path0);
}

export function planFile(a: FileArgs, p: FileProbe, env: PlanEnv): Plan {
  const c: Ctx = { a, p, env, want: { owner: a.owner, group: a.group, mode: a.mode } };
  let path = filePath(a);
  // Ansible: a directory given as path, with src, means the entry named like src inside it.
  if (a.src !== undefined && a.state !== 'link' && a.state !== 'absent' && p.stat[path]?.type === 'directory') path = pyJoin(path, pyBasename(a.src));
  const prev = ansibleState(p.lstat[path]);
  const state: State = a.state ?? (prev !== 'absent' ? prev : a.recurse ? 'directory' : 'file');
  if (a.recurse && state !== 'directory') return fail("recurse option requires state to be 'directory'");
  if (a.src !== undefined && state !== 'link' && state !== 'hard') return fail("src option requires state to be 'link' or 'hard'");
  if (state === 'absent') return planAbsent(c, path);
  const missing = missingPrincipal(p.ids, a.owner, a.group);
  if (missing && !env.check) return fail(missing, 'create the user or group first (user/group modules), or fix the name');
  const times = timeSpecs(c, state);
  if ('error' in times) return fail(times.error);
  switch (state) {
    case 'file':
      return planFileState(c, path, times);
    case 'directory':
      return planDirectory(c, path, times);
    case 'link':
      return planLink(c, path, times);
    case 'hard':
      return planHard(c, path, times);
    case 'touch':
      return planTouch(c, path, times);
    default: {
      const never: never = state;
      throw new Error(`unknown state ${String(never)}`);
    }
  }
}

/** Ansible warns when it would follow a link (kept or created) whose target does not exist. Pure. */
export function danglingLinkWarning(a: FileArgs, p: FileProbe): string | undefined {
  const path = filePath(a);
  const lst = p.lstat[path];
  if (!a.follow) return undefined;
  let dangling = false;
  if (a.src === undefined) dangling = (a.state === 'link' || a.state === undefined) && lst?.type === 'link' && !p.stat[path]?.exists;
  else if (a.state === 'link' && a.force) {
    const rel = lst?.type === 'directory' ? path : pyDirname(path);
    dangling = !p.stat[pyJoin(rel, a.src)]?.exists;
  }
  return dangling ? 'Cannot set fs attributes on a non-existent symlink target. follow should be set to False to avoid this.' : undefined;
}

export default defineModule({
  name: 'file',
  summary: 'Manage a path: file, directory, symlink, hard link, touch or absent, with owner/group/mode and times.',
  where: 'target',
  args,
  check: 'plan',
  async probe(env, a: FileArgs): Promise<FileProbe> {
    const sections = fileProbeSections(a, env.diff);
    const out = await runSections(env.remote, sections);
    const probe = parseFileProbe(a, out);
    const w = danglingLinkWarning(a, probe);
    if (w) env.warn(w);
    if (env.check && a.state !== 'absent') {
      const w = missingPrincipalWarning(probe.ids, a.owner, a.group);
      if (w) env.warn(w);
    }
    return probe;
  },
  plan: planFile,
});

