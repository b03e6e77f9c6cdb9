// find's selection, ported from ansible-core 2.14's find.py main(): the os.walk order, depth and
// hidden rules, the pattern/age/size/content filters and the stat-like result dicts, computed from
// what one `find -printf` run on the target listed. Pure.

import { pyFnmatch } from '../../python/fnmatch.js';
import { pyBasename, pyNormpath } from '../../python/posixpath.js';
import { compilePy, pyMatch, type PyPattern } from '../../python/re.js';

/** One file system entry as `find -printf` reported it (lstat data). */
export interface FindEntry {
  /** %y: f d l b c p s (lstat type). */
  type: string;
  /** %Y: type after following a link (d for a link to a directory); N nonexistent, L loop. */
  targetType: string;
  /** Octal permission bits, as %m prints them (with setuid/setgid/sticky). */
  mode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
  inode: number;
  dev: number;
  nlink: number;
  atime: number;
  mtime: number;
  ctime: number;
  path: string;
}

export interface FindRoot {
  /** The path after ~ and $VAR expansion (Ansible's npath). */
  path: string;
  isDir: boolean;
  entries: FindEntry[];
  /** sha1 by path, for the regular files the target checksummed. */
  checksums: Map<string, string>;
  /** Paths whose content matched `contains` (grep on the target). */
  containing: Set<string>;
}

export interface FindSpec {
  patterns: string[];
  excludes?: string[];
  useRegex: boolean;
  contains?: string;
  fileType: 'any' | 'directory' | 'file' | 'link';
  /** Seconds (Ansible's parsed value), negative: at most. */
  age?: number;
  ageStamp: 'atime' | 'ctime' | 'mtime';
  /** Bytes, negative: at most. */
  size?: number;
  recurse: boolean;
  hidden: boolean;
  follow: boolean;
  getChecksum: boolean;
  depth?: number;
}

export interface FindOutcome {
  files: Record<string, unknown>[];
  matched: number;
  examined: number;
  msg: string;
  skipped_paths: Record<string, string>;
}

/** age as Ansible parses it: ^(-?\d+)(s|m|h|d|w)?$ (case-insensitive), in seconds. */
export function parseAge(s: string): number | undefined {
  const m = /^(-?\d+)([smhdw])?$/.exec(s.toLowerCase());
  if (!m) return undefined;
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  return Number(m[1]) * (m[2] ? unit[m[2]]! : 1);
}

/** size as Ansible parses it: ^(-?\d+)(b|k|m|g|t)?$ (case-insensitive), in bytes. */
export function parseSize(s: string): number | undefined {
  // A leading '+' (the issue's `+50M`, find(1)'s spelling) is accepted as "at least", which an
  // unsigned size already means; Ansible 2.14 rejects it (README: where sams differs).
  const m = /^([+-]?\d+)([bkmgt])?$/.exec(s.toLowerCase());
  if (!m) return undefined;
  const unit: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
  return Number(m[1]) * (m[2] ? unit[m[2]]! : 1);
}

function countSlashes(s: string): number {
  let n = 0;
  for (const c of s) if (c === '/') n++;
  return n;
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : p.slice(0, i);
}

/** pfilter(): patterns, then excludes, on the base name. */
export function nameFilter(name: string, patterns: PyPattern[] | string[], excludes: PyPattern[] | string[] | undefined, useRegex: boolean): boolean {
  const test = (p: PyPattern | string) => (useRegex ? pyMatch(p as PyPattern, name) !== null : pyFnmatch(name, p as string));
  for (const p of patterns) {
    if (!test(p)) continue;
    if (excludes) for (const e of excludes) if (test(e)) return false;
    return true;
  }
  return false;
}

/** statinfo(): the stat-like dict, keys in Ansible's order. */
export function statInfo(e: FindEntry): Record<string, unknown> {
  const m = e.mode;
  const t = e.type;
  // find prints a number where no name exists; Ansible gives '' then.
  const name = (n: string, id: number) => (n === String(id) ? '' : n);
  return {
    mode: (m & 0o7777).toString(8).padStart(4, '0'),
    isdir: t === 'd',
    ischr: t === 'c',
    isblk: t === 'b',
    isreg: t === 'f',
    isfifo: t === 'p',
    islnk: t === 'l',
    issock: t === 's',
    uid: e.uid,
    gid: e.gid,
    size: e.size,
    inode: e.inode,
    dev: e.dev,
    nlink: e.nlink,
    atime: e.atime,
    mtime: e.mtime,
    ctime: e.ctime,
    gr_name: name(e.group, e.gid),
    pw_name: name(e.owner, e.uid),
    wusr: (m & 0o200) !== 0,
    rusr: (m & 0o400) !== 0,
    xusr: (m & 0o100) !== 0,
    wgrp: (m & 0o020) !== 0,
    rgrp: (m & 0o040) !== 0,
    xgrp: (m & 0o010) !== 0,
    woth: (m & 0o002) !== 0,
    roth: (m & 0o004) !== 0,
    xoth: (m & 0o001) !== 0,
    isuid: (m & 0o4000) !== 0,
    isgid: (m & 0o2000) !== 0,
  };
}

/** The selection over the listed roots at time `now` (the target's clock). */
export function selectFiles(roots: FindRoot[], spec: FindSpec, now: number): FindOutcome {
  const patterns = spec.useRegex ? spec.patterns.map((p) => compilePy(p)) : spec.patterns;
  const excludes = spec.excludes && spec.excludes.length ? (spec.useRegex ? spec.excludes.map((p) => compilePy(p)) : spec.excludes) : undefined;
  const files: Record<string, unknown>[] = [];
  const skipped: Record<string, string> = {};
  let looked = 0;
  const ageOk = (e: FindEntry) => {
    if (spec.age === undefined) return true;
    const elapsed = now - e[spec.ageStamp];
    return spec.age >= 0 ? elapsed >= Math.abs(spec.age) : elapsed <= Math.abs(spec.age);
  };
  const sizeOk = (e: FindEntry) => spec.size === undefined || (spec.size >= 0 ? e.size >= Math.abs(spec.size) : e.size <= Math.abs(spec.size));
  const named = (n: string) => nameFilter(n, patterns, excludes, spec.useRegex);

  for (const root of roots) {
    if (!root.isDir) {
      skipped[root.path] = `'${root.path}' is not a directory`;
      continue;
    }
    const wpath = root.path.replace(/\/+$/, '') + '/';
    const wslashes = countSlashes(wpath);
    const children = new Map<string, FindEntry[]>();
    for (const e of root.entries) {
      const parent = pyNormpath(parentOf(e.path));
      let list = children.get(parent);
      if (!list) children.set(parent, (list = []));
      list.push(e);
    }
    // os.walk(top-down): a directory's files, then its subdirectories, then into each of them.
    const walk = (dir: string) => {
      const entries = children.get(dir) ?? [];
      const isDirEntry = (e: FindEntry) => e.type === 'd' || (e.type === 'l' && e.targetType === 'd');
      const dirs = entries.filter(isDirEntry);
      const ordered = [...entries.filter((e) => !isDirEntry(e)), ...dirs];
      looked += ordered.length;
      let pruned = false;
      for (const e of ordered) {
        const fsname = pyNormpath(e.path);
        const fsobj = pyBasename(fsname);
        if (spec.depth) {
          const depth = countSlashes(fsname) - wslashes + 1;
          if (depth > spec.depth) {
            pruned = true;
            continue;
          }
        }
        if (fsobj.startsWith('.') && !spec.hidden) continue;
        const r: Record<string, unknown> = { path: fsname };
        if (spec.fileType === 'any') {
          if (named(fsobj) && ageOk(e)) {
            Object.assign(r, statInfo(e));
            if (e.type === 'f' && spec.getChecksum) r.checksum = root.checksums.get(e.path) ?? '';
            if (e.type !== 'f' || sizeOk(e)) files.push(r);
          }
        } else if (e.type === 'd' && spec.fileType === 'directory') {
          if (named(fsobj) && ageOk(e)) files.push(Object.assign(r, statInfo(e)));
        } else if (e.type === 'f' && spec.fileType === 'file') {
          if (named(fsobj) && ageOk(e) && sizeOk(e) && (spec.contains === undefined || root.containing.has(e.path))) {
            Object.assign(r, statInfo(e));
            if (spec.getChecksum) r.checksum = root.checksums.get(e.path) ?? '';
            files.push(r);
          }
        } else if (e.type === 'l' && spec.fileType === 'link') {
          if (named(fsobj) && ageOk(e)) files.push(Object.assign(r, statInfo(e)));
        }
      }
      if (!spec.recurse || pruned) return;
      for (const d of dirs) if (spec.follow || d.type !== 'l') walk(pyNormpath(d.path));
    };
    walk(pyNormpath(root.path));
  }
  const skippedAny = Object.keys(skipped).length > 0;
  return {
    files,
    matched: files.length,
    examined: looked,
    msg: skippedAny ? 'Not all paths examined, check warnings for details' : 'All paths examined',
    skipped_paths: skipped,
  };
}
