// The stat module's probe: one sh script printing GNU stat fields, access checks (as the user the
// command runs as), link target, checksum, file(1) MIME data and lsattr flags; and its parser,
// which builds Ansible's `stat` dictionary.

import { fileTypeOfMode, type FileType } from '../../facts/file-state.js';
import { raw, sh, type ShellCommand } from '../../shell/quote.js';

export type ChecksumAlgorithm = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export interface StatOptions {
  follow: boolean;
  checksum: ChecksumAlgorithm | undefined;
  md5: boolean;
  mime: boolean;
  attributes: boolean;
}

/** Fields are `key=value` records ending in NUL, so any path or link target survives. */
export function statScript(path: string, o: StatOptions): ShellCommand {
  const L = o.follow ? '-L ' : '';
  const lines = [
    sh`p=${path}`.text,
    `if ! st=$(stat ${L}-c '%f|%u|%g|%s|%i|%d|%h|%.9X|%.9Y|%.9Z|%b|%o|%t|%T|%U|%G' -- "$p" 2>/dev/null); then`,
    `  if [ -e "$p" ] || [ -L "$p" ]; then stat ${L}-c %n -- "$p"; exit 1; fi`,
    `  printf 'exists=0\\0'; exit 0`,
    'fi',
    `printf 'stat=%s\\0' "$st"`,
    `[ -r "$p" ] && printf 'readable=1\\0'`,
    `[ -w "$p" ] && printf 'writeable=1\\0'`,
    `[ -x "$p" ] && printf 'executable=1\\0'`,
    `if [ -L "$p" ]; then printf 'lnk_target=%s\\0' "$(readlink -- "$p")"; printf 'lnk_source=%s\\0' "$(readlink -m -- "$p")"; fi`,
  ];
  const regular = o.follow ? '[ -f "$p" ]' : '[ -f "$p" ] && [ ! -L "$p" ]';
  if (o.checksum) lines.push(`if ${regular} && [ -r "$p" ]; then printf 'checksum=%s\\0' "$(${o.checksum}sum < "$p" | cut -d' ' -f1)"; fi`);
  if (o.md5) lines.push(`if ${regular} && [ -r "$p" ]; then printf 'md5=%s\\0' "$(md5sum < "$p" | cut -d' ' -f1)"; fi`);
  if (o.mime) lines.push(`if command -v file >/dev/null 2>&1; then printf 'mime=%s\\0' "$(file --mime-type --mime-encoding -- "$p" 2>/dev/null)"; fi`);
  if (o.attributes) lines.push(`if command -v lsattr >/dev/null 2>&1; then a=$(lsattr -vd -- "$p" 2>/dev/null) && printf 'attr=%s\\0' "$a"; fi`);
  lines.push('exit 0');
  return sh`${raw(lines.join('\n'))}`;
}

/** Ansible's lsattr flag letters (module_utils/common/file.py FILE_ATTRIBUTES). */
const FILE_ATTRIBUTES: Record<string, string> = {
  A: 'noatime',
  a: 'append',
  c: 'compressed',
  C: 'nocow',
  d: 'nodump',
  D: 'dirsync',
  e: 'extents',
  E: 'encrypted',
  h: 'blocksize',
  i: 'immutable',
  I: 'indexed',
  j: 'journalled',
  N: 'inline',
  s: 'zero',
  S: 'synchronous',
  t: 'notail',
  T: 'blockroot',
  u: 'undelete',
  X: 'compressedraw',
  Z: 'compresseddirty',
};

/** Ansible's is* keys for each file type. */
const TYPE_KEYS: [string, FileType][] = [
  ['isfifo', 'fifo'],
  ['ischr', 'char'],
  ['isdir', 'directory'],
  ['isblk', 'block'],
  ['isreg', 'file'],
  ['islnk', 'link'],
  ['issock', 'socket'],
];

/** glibc's makedev(): st_rdev from major/minor. */
function makedev(major: number, minor: number): number {
  return (minor & 0xff) + (major & 0xfff) * 0x100 + Math.floor(minor / 0x100) * 0x100000 + Math.floor(major / 0x1000) * 2 ** 32;
}

/** Ansible's stat dictionary from the script's output. Pure. */
export function parseStat(path: string, out: string, o: StatOptions): Record<string, unknown> {
  const f = new Map<string, string>();
  for (const rec of out.split('\0')) {
    const i = rec.indexOf('=');
    if (i > 0) f.set(rec.slice(0, i), rec.slice(i + 1));
  }
  if (!f.has('stat')) return { exists: false };
  const [mode16, uid, gid, size, inode, dev, nlink, atime, mtime, ctime, blocks, blksize, major16, minor16, user, group] = f.get('stat')!.split('|') as string[];
  const mode = parseInt(mode16!, 16);
  const perm = mode & 0o7777;
  const bit = (b: number) => (mode & b) !== 0;
  const s: Record<string, unknown> = {
    exists: true,
    path,
    mode: perm.toString(8).padStart(4, '0'),
  };
  const type = fileTypeOfMode(mode);
  for (const [key, t] of TYPE_KEYS) s[key] = type === t;
  Object.assign(s, {
    uid: Number(uid),
    gid: Number(gid),
    size: Number(size),
    inode: Number(inode),
    dev: Number(dev),
    nlink: Number(nlink),
    atime: Number(atime),
    mtime: Number(mtime),
    ctime: Number(ctime),
    wusr: bit(0o200),
    rusr: bit(0o400),
    xusr: bit(0o100),
    wgrp: bit(0o020),
    rgrp: bit(0o040),
    xgrp: bit(0o010),
    woth: bit(0o002),
    roth: bit(0o004),
    xoth: bit(0o001),
    isuid: bit(0o4000),
    isgid: bit(0o2000),
    blocks: Number(blocks),
    block_size: Number(blksize),
    device_type: makedev(parseInt(major16!, 16), parseInt(minor16!, 16)),
    readable: f.has('readable'),
    writeable: f.has('writeable'),
    executable: f.has('executable'),
  });
  if (s.islnk) {
    s.lnk_source = f.get('lnk_source');
    s.lnk_target = f.get('lnk_target');
  }
  if (user !== 'UNKNOWN') s.pw_name = user;
  if (group !== 'UNKNOWN') s.gr_name = group;
  if (s.isreg && s.readable) {
    if (o.md5) s.md5 = f.get('md5') ?? null;
    if (o.checksum) s.checksum = f.get('checksum');
  }
  if (o.mime) {
    s.mimetype = 'unknown';
    s.charset = 'unknown';
    const m = f.get('mime');
    // "path: type/subtype; charset=x" (split at the last colon, as Ansible does).
    const tail = m?.slice(m.lastIndexOf(':') + 1);
    const parts = tail?.split(';');
    if (parts && parts.length === 2) {
      s.mimetype = parts[0]!.trim();
      s.charset = parts[1]!.split('=')[1]?.trim() ?? 'unknown';
    }
  }
  if (o.attributes) {
    s.version = null;
    s.attributes = [];
    s.attr_flags = '';
    const a = f.get('attr')?.split(/\s+/);
    if (a && a.length >= 2) {
      s.version = a[0];
      const flags = a[1]!.replace(/-/g, '');
      s.attr_flags = flags;
      s.attributes = [...flags].filter((c) => c in FILE_ATTRIBUTES).map((c) => FILE_ATTRIBUTES[c]);
    }
  }
  return s;
}
