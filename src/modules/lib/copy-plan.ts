// Putting files on the target as Ansible's copy action does (template uses it too): where each file
// goes (dest as a directory, trailing slashes), one probe of the destination(s), SHA-1 comparison so
// only differing files are sent, missing parent directories, owner/group/mode, links, and the
// values Ansible returns.

import { SamsError } from '../../errors.js';
import { MAX_DIFF_BYTES, atomicWriteScript } from '../../engine/apply-steps.js';
import { fileStateCommand, parseFileStates, parseRealpaths, realpathsCommand, type FileState } from '../../facts/file-state.js';
import { raw, sh } from '../../shell/quote.js';
import type { Diff, Plan, PlanEnv, RegisteredDiff, Step, StepOutcome, TaskEnv } from '../types.js';
import { LocalFile } from '../types.js';
import { registerSecretText, type Secret } from '../../secret.js';
import { isVaultedBuffer } from '../../vault/vaulted-bytes.js';
import { formatMode, newPathAttrs, planAttrs, wantedMode, type WantedAttrs } from './file-attrs.js';
import { idLookupScript, missingPrincipal, parseIdLookup, type IdLookup } from './id-lookup.js';
import { attrDiff, dictDiff, newPathState, pathInfo, withAttrs } from './path-info.js';
import { runSections, type ProbeSection } from './probe-sections.js';
import { replaceWithLink } from './replace-link.js';
import { ancestors, pyDirname, pyJoin } from '../../python/posixpath.js';
import { parseResolvedTreeListing, relUnder, resolvedTreeListingScript, type TreeEntry } from './tree-listing.js';

/** One file to put: its bytes come from the control node, or from a path on the target (remote_src). */
export interface CopyFile {
  rel: string;
  checksum: string;
  md5?: string;
  size: number;
  /** The source's permission bits, for mode: preserve. */
  mode?: string;
  /** A new copy gets the source's mode when no mode is given (remote_src directory copies: copymode). */
  keepMode?: boolean;
  from: { content: string | Buffer | Secret | LocalFile } | { remotePath: string };
}

export interface CopySpec {
  /** 'dir': a recursive copy; dest is a directory and rel paths go below it. */
  kind: 'single' | 'dir';
  /** What results report as src. */
  label?: string;
  /** The source is `content:` (a directory dest is then an error, as in Ansible). */
  fromContent?: boolean;
  files: CopyFile[];
  dirs: string[];
  links: { rel: string; target: string }[];
  /**
   * remote_src directory copies (shutil.copytree / copymode on the target): directories and files
   * keep the source's modes, `mode` applies to the top directory only, and the result describes it.
   */
  remoteTree?: {
    /** Source mode of each directory in `dirs` (and of `top` when it is a source directory). */
    dirModes: Record<string, string>;
    /** The top directory, relative to dest ('' for dest itself: a source ending in '/'). */
    top: string;
    /** The source's basename as written ('' for a source ending in '/'): Ansible's result dest joins it to an existing (or slash-ended) dest. */
    srcBase: string;
  };
}

export interface CopyOptions {
  dest: string;
  force: boolean;
  backup: boolean;
  validate?: string;
  /** Octal, symbolic or 'preserve' (the source's mode). */
  mode?: string;
  owner?: string;
  group?: string;
  directoryMode?: string;
  /** Follow a symlink at the destination (write its target) instead of replacing it. */
  follow: boolean;
  /** Expected SHA-1 of the source (the copy fails when it differs). */
  checksum?: string;
}

export interface CopyProbe {
  /** lstat / stat -L (with checksum, and content when diffing) of the single-file candidates. */
  lstat: Record<string, FileState>;
  stat: Record<string, FileState>;
  realpath: Record<string, string>;
  /** stat -L of the destination directory and its ancestors (existence of parents). */
  dirs: Record<string, FileState>;
  /** Directory copies: everything below the destination directory, by rel path. */
  tree?: Record<string, TreeEntry>;
  /** Directory copies with --diff: content of small regular files below dest, by rel path. */
  treeContent?: Record<string, Buffer>;
  ids: IdLookup;
}

function stripSlash(p: string): string {
  const s = p.replace(/\/+$/, '');
  return s === '' ? '/' : s;
}

/** The single-file destination candidates: dest itself and dest/NAME (when dest is a directory). */
function singleCandidates(spec: CopySpec, o: CopyOptions): string[] {
  const rel = spec.files[0]?.rel ?? spec.links[0]?.rel ?? '';
  if (o.dest.endsWith('/')) return [pyJoin(o.dest, rel)];
  return [o.dest, pyJoin(o.dest, rel)];
}

function destDirOf(spec: CopySpec, o: CopyOptions): string {
  if (spec.kind === 'dir' || o.dest.endsWith('/')) return stripSlash(o.dest);
  return pyDirname(o.dest) || '.';
}

export function copyProbeSections(spec: CopySpec, o: CopyOptions, diff: boolean): ProbeSection[] {
  const destDir = destDirOf(spec, o);
  const sections: ProbeSection[] = [
    { name: 'dirs', script: fileStateCommand([...new Set([destDir, ...ancestors(destDir)])], { follow: true }) },
    { name: 'ids', script: idLookupScript(o.owner, o.group) },
  ];
  if (spec.kind === 'single') {
    const c = singleCandidates(spec, o);
    const content = diff && !spec.files.some((f) => 'remotePath' in f.from);
    sections.push(
      { name: 'lstat', script: fileStateCommand(c, { checksum: true, content, maxContentBytes: MAX_DIFF_BYTES }) },
      { name: 'stat', script: fileStateCommand(c, { follow: true, checksum: true, content, maxContentBytes: MAX_DIFF_BYTES }) },
      { name: 'realpath', script: realpathsCommand(c) },
    );
  } else {
    sections.push({ name: 'tree', script: resolvedTreeListingScript(destDir, { checksum: true }) });
    if (diff && !spec.files.some((f) => 'remotePath' in f.from)) {
      sections.push({
        name: 'treecontent',
        // The resolved root first, then path and base64 content records.
        script: sh`r=$(readlink -f -- ${destDir}) && [ -d "$r" ] && { printf '%s\\0' "$r"; find "$r" -mindepth 1 -type f -size ${`-${MAX_DIFF_BYTES + 1}c`} -exec sh -c 'for f do printf "%s\\0" "$f"; base64 -w0 -- "$f"; printf "\\0"; done' sh {} + ; :; }`,
      });
    }
  }
  return sections;
}

export function parseCopyProbe(spec: CopySpec, o: CopyOptions, out: Map<string, { stdout: string }>): CopyProbe {
  const destDir = destDirOf(spec, o);
  const byPath = (states: FileState[]) => Object.fromEntries(states.map((s) => [s.path, s]));
  const dirPaths = [...new Set([destDir, ...ancestors(destDir)])];
  const p: CopyProbe = {
    lstat: {},
    stat: {},
    realpath: {},
    dirs: byPath(parseFileStates(out.get('dirs')!.stdout, dirPaths, { follow: true })),
    ids: parseIdLookup(out.get('ids')?.stdout ?? '', o.owner, o.group),
  };
  if (spec.kind === 'single') {
    const c = singleCandidates(spec, o);
    p.lstat = byPath(parseFileStates(out.get('lstat')!.stdout, c, { checksum: true, content: true }));
    p.stat = byPath(parseFileStates(out.get('stat')!.stdout, c, { follow: true, checksum: true, content: true }));
    p.realpath = parseRealpaths(out.get('realpath')?.stdout ?? '', c);
  } else {
    // The listing is of the resolved directory; rel paths are what matter.
    p.tree = Object.fromEntries(parseResolvedTreeListing(out.get('tree')!.stdout).map((e) => [e.rel, e]));
    const tc = out.get('treecontent');
    if (tc) {
      p.treeContent = {};
      const [root = '', ...f] = tc.stdout.split('\0');
      for (let i = 0; i + 1 < f.length; i += 2) {
        const rel = relUnder(root, f[i]!);
        if (rel !== undefined && rel in p.tree) p.treeContent[rel] = Buffer.from(f[i + 1]!, 'base64');
      }
    }
  }
  return p;
}

export async function probeCopy(env: TaskEnv, spec: CopySpec, o: CopyOptions): Promise<CopyProbe> {
  const out = await runSections(env.remote, copyProbeSections(spec, o, env.diff));
  return parseCopyProbe(spec, o, out);
}

// ---- planning (pure) ----

function treeState(path: string, e: TreeEntry | undefined): FileState {
  if (!e) return { path, exists: false };
  return {
    path,
    exists: true,
    type: e.type,
    mode: e.mode,
    owner: e.owner,
    group: e.group,
    uid: e.uid,
    gid: e.gid,
    size: e.size,
    mtime: e.mtime,
    atime: e.atime,
    nlink: 1,
    linkTarget: e.linkTarget,
    checksum: e.checksum,
  };
}

const EXIT_STAGES: Record<number, string> = {
  70: 'cannot create a temporary file beside the target',
  71: 'cannot copy the source into the temporary file',
  72: 'cannot set the mode',
  73: 'cannot set the owner or group',
  74: 'validation failed',
  75: 'cannot make the backup copy',
  76: 'cannot rename the temporary file over the target',
};

/**
 * remote_src: the engine's atomic write, fed from a file on the target instead of from us; the
 * copy keeps the source's modification time (Ansible copies it with copystat).
 */
function remoteCopyStep(from: string, w: Extract<Step, { kind: 'write' }>): Step {
  const script = sh`{ ${raw(atomicWriteScript(w))}\n} < ${from} && touch -c -r ${from} -- ${w.path}`;
  return {
    kind: 'custom',
    describe: `copy ${from} to ${w.path} on the host`,
    async apply(env: TaskEnv): Promise<StepOutcome> {
      const r = await env.remote.exec(script);
      const m = /^backup_file=(.*)$/m.exec(r.stdout);
      if (r.rc !== 0) {
        const stage = EXIT_STAGES[r.rc] ?? `rc ${r.rc}`;
        return { ok: false, msg: `${stage}: ${w.path}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`, rc: r.rc, stderr: r.stderr };
      }
      return { ok: true, data: m ? { backup_file: m[1] } : {} };
    },
  };
}

interface Builder {
  steps: Step[];
  diffs: Diff[];
  created: Set<string>;
}

/** Missing directories on the way to `dir` (absolute/relative path), created parents first. */
function ensureDir(b: Builder, dir: string, exists: (p: string) => FileState | undefined, want: WantedAttrs): string | undefined {
  const chain = [...ancestors(dir), dir];
  for (const d of chain) {
    if (b.created.has(d)) continue;
    const st = exists(d);
    if (st?.exists) {
      if (st.type !== 'directory') return `${d} exists and is not a directory`;
      continue;
    }
    b.created.add(d);
    b.steps.push({ kind: 'run', cmd: sh`mkdir -- ${d}` });
    const attrs = newPathAttrs(d, want);
    if (attrs) b.steps.push({ kind: 'run', cmd: attrs });
  }
  return undefined;
}

interface FileOutcome {
  /** Result keys for this file (Ansible's copy/file module return). */
  data: Record<string, unknown>;
  changed: boolean;
  skipped: boolean;
  /** Ansible's copy `diff`: the file module's dicts when the content is the same, [] when it is sent. */
  registeredDiff?: RegisteredDiff;
}

/** The mode a file gets: 'preserve' means the source's. */
function modeFor(o: CopyOptions, f: CopyFile): string | undefined {
  if (o.mode === 'preserve') return f.mode;
  return o.mode;
}

function planOneFile(
  b: Builder,
  o: CopyOptions,
  spec: CopySpec,
  f: CopyFile,
  path: string,
  cur: FileState,
  replaceLink: boolean,
  before: Buffer | null | undefined,
  ids: IdLookup,
  env: PlanEnv,
): FileOutcome | { fail: string } {
  const want: WantedAttrs = { owner: o.owner, group: o.group, mode: modeFor(o, f) };
  if (cur.exists && !o.force) return { data: {}, changed: false, skipped: true };
  if (cur.exists && cur.type === 'directory') return { fail: `cannot copy ${f.rel} over the directory ${path}` };
  const same = cur.exists && cur.type === 'file' && !replaceLink && cur.checksum === f.checksum;
  if (same) {
    const attrs = planAttrs(path, cur, want, { follow: true });
    const after = withAttrs(cur, want, ids);
    const d = attrDiff(cur, after);
    if (attrs.command) {
      b.steps.push({ kind: 'run', cmd: attrs.command });
      b.diffs.push(dictDiff(path, { path, ...d.before }, { path, ...d.after }));
    }
    maskHashesOfSecret(f);
    // Same content: Ansible's copy hands over to the file module, whose diff is these dicts.
    const registeredDiff = { before: { path, ...(attrs.command ? d.before : {}) }, after: { path, ...(attrs.command ? d.after : {}) } };
    return { data: { dest: path, path, checksum: f.checksum, ...pathInfo(after) }, changed: !!attrs.command, skipped: false, registeredDiff };
  }
  if (o.checksum !== undefined && o.checksum !== f.checksum) {
    return { fail: 'Copied file does not match the expected checksum. Transfer failed.' };
  }
  // A link at dest (not followed) is replaced by a file, as Ansible unlinks it first.
  if (replaceLink) b.steps.push({ kind: 'run', cmd: sh`rm -f -- ${path}` });
  const existing = cur.exists && !replaceLink;
  const write: Extract<Step, { kind: 'write' }> = {
    kind: 'write',
    path,
    content: 'content' in f.from ? f.from.content : '',
    ...(want.mode !== undefined && { mode: want.mode }),
    ...(o.owner !== undefined && { owner: o.owner }),
    ...(o.group !== undefined && { group: o.group }),
    ...(o.validate !== undefined && { validate: o.validate }),
    ...(o.backup && { backup: true }),
  };
  if ('content' in f.from) {
    if (before !== undefined) write.before = before;
    else if (env.diff && cur.exists) b.diffs.push({ target: path, skipped: 'too large' });
    b.steps.push(write);
  } else {
    if (want.mode === undefined && !existing && f.keepMode && f.mode) write.mode = f.mode;
    b.steps.push(remoteCopyStep(f.from.remotePath, write));
  }
  const base: FileState = existing
    ? { ...cur, size: f.size, checksum: f.checksum, type: 'file' }
    : newPathState(path, 'file', {}, ids, f.size);
  if (!existing && write.mode === undefined) base.mode = '0644';
  const m = write.mode !== undefined ? wantedMode(write.mode, base.mode ? parseInt(base.mode, 8) : undefined, false) : undefined;
  const after = withAttrs({ ...base, ...(m !== undefined && { mode: formatMode(m) }) }, { owner: o.owner, group: o.group }, ids);
  maskHashesOfSecret(f);
  const data: Record<string, unknown> = { dest: path, src: spec.label, md5sum: f.md5, checksum: f.checksum, ...pathInfo(after) };
  if (data.src === undefined) delete data.src;
  if (data.md5sum === undefined) delete data.md5sum;
  return { data, changed: true, skipped: false, registeredDiff: [] };
}

/**
 * The sha1/md5 of vault content (a short password) would let anyone reading the output test
 * guesses against it: output masks them like the content itself.
 */
function maskHashesOfSecret(f: CopyFile): void {
  const c = 'content' in f.from ? f.from.content : undefined;
  // Vault content is a Secret, or (a binary vaulted file) a Buffer marked as vaulted.
  if (c === undefined || typeof c === 'string' || c instanceof LocalFile || (Buffer.isBuffer(c) && !isVaultedBuffer(c))) return;
  registerSecretText(f.checksum, false);
  if (f.md5) registerSecretText(f.md5, false);
}

/** Ansible's file state=link with force (how copy puts links of a directory copy). */
function planOneLink(b: Builder, o: CopyOptions, path: string, target: string, cur: FileState, hasEntries: boolean): { fail: string } | boolean {
  const linkWant: WantedAttrs = { owner: o.owner, group: o.group };
  if (cur.exists && cur.type === 'link' && cur.linkTarget === target) {
    const attrs = planAttrs(path, cur, linkWant, { follow: false });
    if (attrs.command) b.steps.push({ kind: 'run', cmd: attrs.command });
    return !!attrs.command;
  }
  if (cur.exists && cur.type === 'directory' && hasEntries) return { fail: `the directory ${path} is not empty, refusing to convert it` };
  if (!cur.exists) b.steps.push({ kind: 'run', cmd: sh`ln -s -- ${target} ${path}` });
  else {
    const pre = cur.type === 'directory' ? sh`rmdir -- ${path} && ` : sh``;
    b.steps.push({ kind: 'run', cmd: replaceWithLink(path, target, 'symbolic', pre) });
  }
  const attrs = newPathAttrs(path, linkWant, true);
  if (attrs) b.steps.push({ kind: 'run', cmd: attrs });
  return true;
}

function finish(b: Builder, data: Record<string, unknown>, changed: boolean, registeredDiff?: RegisteredDiff): Plan {
  const reg = registeredDiff !== undefined ? { registeredDiff } : {};
  if (!changed || b.steps.length === 0) return { kind: 'ok', data, ...reg };
  return { kind: 'change', steps: b.steps, ...(b.diffs.length && { diff: b.diffs }), data, ...reg };
}

function fail(msg: string, data?: Record<string, unknown>): Plan {
  return { kind: 'fail', msg, ...(data && { data }) };
}

function planSingle(spec: CopySpec, o: CopyOptions, p: CopyProbe, env: PlanEnv): Plan {
  const f = spec.files[0]!;
  const b: Builder = { steps: [], diffs: [], created: new Set() };
  const dirWant: WantedAttrs = { owner: o.owner, group: o.group, mode: o.directoryMode };
  let target: string;
  let note: string | undefined;
  if (o.dest.endsWith('/')) {
    target = pyJoin(o.dest, f.rel);
    const err = ensureDir(b, stripSlash(o.dest), (d) => p.dirs[d], dirWant);
    if (err) return fail(`Destination directory ${stripSlash(o.dest)} cannot be created: ${err}`);
  } else {
    const st = p.stat[o.dest];
    if (st?.exists && st.type === 'directory') {
      if (spec.fromContent) return fail('can not use content with a dir as dest');
      target = pyJoin(o.dest, f.rel);
    } else {
      target = o.dest;
      const parent = pyDirname(o.dest) || '.';
      if (!p.dirs[parent]?.exists) {
        // In check mode an earlier task may be about to create the directory (Ansible fails here;
        // a dry run that stops at the first new directory is not one users can trust).
        if (!env.check) return fail(`Destination directory ${parent} does not exist`, { dest: o.dest });
        note = `directory ${parent} does not exist yet: the file would be created once it does (check mode)`;
      }
    }
  }
  const lst = p.lstat[target] ?? { path: target, exists: false };
  const fst = p.stat[target];
  let path = target;
  let cur: FileState = lst;
  let replaceLink = false;
  if (lst.exists && lst.type === 'link') {
    if (o.follow && fst?.exists) {
      path = p.realpath[target] ?? target;
      cur = { ...fst, path, followed: false };
    } else {
      replaceLink = true;
      cur = { path: target, exists: true, type: 'link' };
    }
  }
  if (cur.exists && !o.force) return { kind: 'ok', data: { dest: o.dest, ...(spec.label && { src: spec.label }) } };
  // The current content for --diff (undefined when it was not read: too large, or not diffing).
  const before = lst.exists ? (o.follow && fst?.exists ? fst.content : lst.content) : null;
  const r = planOneFile(b, o, spec, f, path, cur, replaceLink, before, p.ids, env);
  if ('fail' in r) return fail(r.fail, { dest: path });
  const plan = finish(b, r.data, r.changed, r.registeredDiff);
  return note && plan.kind === 'change' ? { ...plan, note } : plan;
}

function planDir(spec: CopySpec, o: CopyOptions, p: CopyProbe, env: PlanEnv): Plan {
  const b: Builder = { steps: [], diffs: [], created: new Set() };
  const destDir = stripSlash(o.dest);
  const label = o.dest.endsWith('/') ? o.dest : `${o.dest}/`;
  const tree = p.tree ?? {};
  const dirWant: WantedAttrs = { owner: o.owner, group: o.group, mode: o.directoryMode };
  const exists = (full: string): FileState | undefined => {
    if (full === destDir || !full.startsWith(destDir === '/' ? '/' : `${destDir}/`)) return p.dirs[full];
    const rel = full.slice(destDir === '/' ? 1 : destDir.length + 1);
    return tree[rel] ? treeState(full, tree[rel]) : { path: full, exists: false };
  };
  const full = (rel: string) => pyJoin(label, rel);
  // An empty source directory copies nothing, and Ansible then does not even create dest.
  if (!spec.files.length && !spec.dirs.length && !spec.links.length) return { kind: 'ok', data: { dest: label, ...(spec.label && { src: spec.label }) } };
  const top = p.dirs[destDir];
  if (top?.exists && top.type !== 'directory') return fail(`Destination ${destDir} exists and is not a directory`, { dest: label });
  const err0 = ensureDir(b, destDir, exists, dirWant);
  if (err0) return fail(`cannot create ${destDir}: ${err0}`);

  let changed = b.steps.length > 0;
  const rt = spec.remoteTree;
  // Source directories: created when missing, else given owner/group/directory_mode. A remote
  // tree's directories keep their source modes (copytree) and only get owner/group (chown_recursive).
  const dirs = rt && rt.top !== '' ? [rt.top, ...spec.dirs] : spec.dirs;
  for (const rel of dirs) {
    const path = full(rel);
    const want = rt ? { owner: o.owner, group: o.group, mode: rt.dirModes[rel] } : dirWant;
    const err = ensureDir(b, path, exists, want);
    if (err) return fail(`${path} already exists as a ${exists(path)?.type ?? 'file'}`);
    if (b.created.has(path)) {
      changed = true;
      continue;
    }
    const st = exists(path)!;
    const attrs = planAttrs(path, st, rt ? { owner: o.owner, group: o.group } : dirWant, { follow: true });
    if (attrs.command) {
      b.steps.push({ kind: 'run', cmd: attrs.command });
      changed = true;
    }
  }
  const outcomes: FileOutcome[] = [];
  for (const f of spec.files) {
    const path = full(f.rel);
    const err = ensureDir(b, pyDirname(path), exists, dirWant);
    if (err) return fail(`cannot create the directory for ${path}: ${err}`);
    const e = tree[f.rel];
    const cur = treeState(path, e);
    const replaceLink = e?.type === 'link';
    const before = !e ? null : p.treeContent ? p.treeContent[f.rel] : undefined;
    // A remote tree's files keep the source's mode (copyfile + copymode); `mode` is for the top.
    const fo = rt ? { ...o, mode: 'preserve' } : o;
    const r = planOneFile(b, fo, spec, f, path, replaceLink ? { path, exists: true, type: 'link' } : cur, replaceLink, before, p.ids, env);
    if ('fail' in r) return fail(r.fail, { dest: path });
    outcomes.push(r);
    changed ||= r.changed;
  }
  for (const l of spec.links) {
    const path = full(l.rel);
    const err = ensureDir(b, pyDirname(path), exists, dirWant);
    if (err) return fail(`cannot create the directory for ${path}: ${err}`);
    const hasEntries = Object.keys(tree).some((r) => r.startsWith(`${l.rel}/`));
    const r = planOneLink(b, o, path, l.target, treeState(path, tree[l.rel]), hasEntries);
    if (typeof r === 'object') return fail(r.fail, { dest: path });
    changed ||= r;
  }
  changed ||= b.created.size > 0;
  if (rt) return finishRemoteTree(b, o, spec, rt, p, exists(full(rt.top).replace(/\/+$/, '') || '/'), changed);
  // Ansible returns the one file's own result when the directory held exactly one file.
  if (spec.files.length === 1 && !outcomes[0]!.skipped) return finish(b, outcomes[0]!.data, changed);
  return finish(b, { dest: label, ...(spec.label && { src: spec.label }) }, changed);
}

/**
 * The end of a remote tree copy: `mode` (and owner/group) on the top directory, as Ansible's final
 * set_fs_attributes_if_different on dest, and its result keys (dest, src, md5sum and checksum
 * null, and the top directory's path info; a new directory's size is left out: it depends on the
 * file system).
 */
function finishRemoteTree(b: Builder, o: CopyOptions, spec: CopySpec, rt: NonNullable<CopySpec['remoteTree']>, p: CopyProbe, cur: FileState | undefined, changed: boolean): Plan {
  const top = pyJoin(stripSlash(o.dest), rt.top).replace(/\/+$/, '') || '/';
  const created = b.created.has(top) || !cur?.exists;
  const want: WantedAttrs = { owner: o.owner, group: o.group, mode: o.mode === 'preserve' ? undefined : o.mode };
  let after: FileState;
  if (created) {
    const mode = rt.top !== '' ? rt.dirModes[rt.top] : o.directoryMode;
    after = newPathState(top, 'directory', { owner: o.owner, group: o.group, mode }, p.ids);
    if (want.mode !== undefined) {
      b.steps.push({ kind: 'run', cmd: sh`chmod ${want.mode} -- ${top}` });
      after = withAttrs(after, { mode: want.mode }, p.ids);
    }
  } else {
    const attrs = planAttrs(top, cur!, want, { follow: true });
    if (attrs.command) {
      b.steps.push({ kind: 'run', cmd: attrs.command });
      changed = true;
    }
    after = withAttrs(cur!, want, p.ids);
  }
  const destIsDir = o.dest.endsWith('/') || p.dirs[stripSlash(o.dest)]?.exists;
  const dest = destIsDir ? pyJoin(o.dest, rt.srcBase) : o.dest;
  return finish(b, { dest, src: spec.label, md5sum: null, checksum: null, ...pathInfo(after) }, changed);
}

/** What to do to put `spec` at `o.dest`, given the probe. Pure. */
export function planCopy(spec: CopySpec, o: CopyOptions, p: CopyProbe, env: PlanEnv): Plan {
  const missing = missingPrincipal(p.ids, o.owner, o.group);
  if (missing && !env.check) return fail(missing);
  if (spec.kind === 'dir') return planDir(spec, o, p, env);
  if (spec.files.length !== 1) throw new SamsError('internal: a single copy needs exactly one file');
  return planSingle(spec, o, p, env);
}
