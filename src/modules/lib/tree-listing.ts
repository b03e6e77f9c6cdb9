// Everything below a directory on the target in one find(1) call: type, mode, owner, size, times,
// link target, and optionally SHA-1 checksums of regular files. NUL-separated, so any name works.

import type { FileType } from '../../facts/file-state.js';
import { raw, sh, type RawShell, type ShellCommand } from '../../shell/quote.js';

export interface TreeEntry {
  /** Path relative to the root ('a/b.txt'). */
  rel: string;
  type: FileType;
  /** Four octal digits. */
  mode: string;
  owner: string;
  group: string;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  atime: number;
  linkTarget?: string;
  checksum?: string;
}

const TYPES: Record<string, FileType> = { f: 'file', d: 'directory', l: 'link', p: 'fifo', s: 'socket', c: 'char', b: 'block' };
const FIELDS = 11;

/**
 * Lists every entry below `root` (not root itself), in find's order; then checksums when asked.
 * `root` may be a shell expression (raw`"$r"`) computed earlier in the same script.
 */
export function treeListingScript(root: string | RawShell, o: { checksum?: boolean } = {}): ShellCommand {
  const list = sh`find ${root} -mindepth 1 -printf '%y\\0%m\\0%u\\0%g\\0%U\\0%G\\0%s\\0%T@\\0%A@\\0%l\\0%P\\0' 2>/dev/null`;
  if (!o.checksum) return sh`${list}; :`;
  // sha1sum -z: "HASH  PATH\0" records, names unescaped.
  return sh`${list}; printf '\\001'; find ${root} -mindepth 1 -type f -exec sha1sum -z -- {} + 2>/dev/null; :`;
}

/**
 * The listing below the directory `path` resolves to (readlink -f), nothing when that is not a
 * directory. The resolved root comes first, so checksums (which sha1sum keys by full path) find
 * their entries.
 */
export function resolvedTreeListingScript(path: string, o: { checksum?: boolean } = {}): ShellCommand {
  return sh`r=$(readlink -f -- ${path}) && [ -d "$r" ] && { printf '%s\\0' "$r"; ${treeListingScript(raw('"$r"'), o)}; }; :`;
}

/** Parse resolvedTreeListingScript's output. Pure. */
export function parseResolvedTreeListing(out: string): TreeEntry[] {
  const i = out.indexOf('\0');
  return i < 0 ? [] : parseTreeListing(out.slice(i + 1), out.slice(0, i));
}

/** A path find printed below `root`, relative to it (undefined when it is not below it). */
export function relUnder(root: string, full: string): string | undefined {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return full.startsWith(prefix) ? full.slice(prefix.length) : undefined;
}

/** Parse the listing (see treeListingScript). Pure. */
export function parseTreeListing(out: string, root: string): TreeEntry[] {
  const [list = '', sums = ''] = out.split('\x01');
  const f = list.split('\0');
  const entries: TreeEntry[] = [];
  for (let k = 0; k + FIELDS <= f.length; k += FIELDS) {
    const [y, m, u, g, uid, gid, size, mt, at, l, rel] = f.slice(k, k + FIELDS) as string[];
    const e: TreeEntry = {
      rel: rel!,
      type: TYPES[y!] ?? 'other',
      mode: m!.padStart(4, '0'),
      owner: u!,
      group: g!,
      uid: Number(uid),
      gid: Number(gid),
      size: Number(size),
      mtime: Number(mt),
      atime: Number(at),
    };
    if (e.type === 'link') e.linkTarget = l;
    entries.push(e);
  }
  if (sums) {
    const byRel = new Map(entries.map((e) => [e.rel, e]));
    for (const rec of sums.split('\0')) {
      const m = /^([0-9a-f]{40}) {2}(.*)$/s.exec(rec);
      if (!m) continue;
      const e = byRel.get(relUnder(root, m[2]!) ?? m[2]!);
      if (e) e.checksum = m[1];
    }
  }
  return entries;
}
