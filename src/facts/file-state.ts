// The state of files on a host, read in one round trip: type, mode, owner, size, times, link
// target, and on request a SHA-1 checksum and the content. Used by every file-like module.

import { SamsError } from '../errors.js';
import type { Remote } from '../modules/types.js';
import { quote, raw, sh, type ShellCommand } from '../shell/quote.js';

export type FileType = 'file' | 'directory' | 'link' | 'hard' | 'fifo' | 'socket' | 'char' | 'block' | 'other';

export interface FileState {
  path: string;
  exists: boolean;
  type?: FileType;
  /** Four octal digits, e.g. '0644'. For a link: the link's own mode. */
  mode?: string;
  owner?: string;
  group?: string;
  uid?: number;
  gid?: number;
  size?: number;
  /** Seconds since the epoch (with fractions). */
  mtime?: number;
  atime?: number;
  inode?: number;
  nlink?: number;
  dev?: number;
  /** For a symlink: where it points (as written). */
  linkTarget?: string;
  /** For a symlink that was followed: the state is the target's, and this is true. */
  followed?: boolean;
  /** SHA-1 of the content (regular files, when asked). */
  checksum?: string;
  /** The content (regular files, when asked and not larger than the limit). */
  content?: Buffer;
  /** Content was asked for but the file is larger than the limit. */
  contentTooLarge?: boolean;
}

export interface ProbeOptions {
  /** Follow a symlink and report its target's state (the link target is reported too). */
  follow?: boolean;
  checksum?: boolean;
  /** Return the content of regular files up to `maxContentBytes` (default 8 MiB). */
  content?: boolean;
  maxContentBytes?: number;
}

const S_IFMT = 0o170000;
const TYPES: Record<number, FileType> = {
  0o100000: 'file',
  0o040000: 'directory',
  0o120000: 'link',
  0o010000: 'fifo',
  0o140000: 'socket',
  0o020000: 'char',
  0o060000: 'block',
};

/** The type the st_mode bits give (stat's %f, in hex), as S_ISREG() and friends read them. */
export function fileTypeOfMode(mode: number): FileType {
  return TYPES[mode & S_IFMT] ?? 'other';
}

const MARK = '@@sams-file@@';

/** One sh fragment printing the state of the path `p` (a shell word) under `label` (GNU stat, sha1sum, base64). */
function fragment(label: string, p: string, o: ProbeOptions): string {
  const max = o.maxContentBytes ?? 8 * 1024 * 1024;
  const statFlag = o.follow ? '-L ' : '';
  const lines = [
    `printf '%s\\n' ${quote(MARK + label)}`,
    `if [ -e ${p} ] || [ -L ${p} ]; then`,
    // %f (the raw mode in hex) rather than %F, whose words follow the host's locale.
    `  stat ${statFlag}-c 'stat=%f|%a|%U|%G|%u|%g|%s|%.9Y|%.9X|%i|%h|%d' -- ${p} 2>/dev/null || stat ${statFlag}-c 'stat=%f|%a|%U|%G|%u|%g|%s|%Y|%X|%i|%h|%d' -- ${p}`,
    `  if [ -L ${p} ]; then printf 'link=%s\\n' "$(readlink -- ${p})"; fi`,
    `  if [ -f ${p} ]; then :`,
  ];
  if (o.checksum) lines.push(`    printf 'sha1=%s\\n' "$(sha1sum < ${p} | cut -d' ' -f1)"`);
  if (o.content) {
    lines.push(
      `    s=$(stat -L -c %s -- ${p})`,
      `    if [ "$s" -le ${max} ]; then printf 'content=\\n'; base64 < ${p}; printf '\\n'; else printf 'content_too_large=1\\n'; fi`,
    );
  }
  lines.push('  fi', 'else', "  printf 'absent=1\\n'", 'fi');
  return lines.join('\n');
}

/** The probe command for several paths at once. */
export function fileStateCommand(paths: string[], o: ProbeOptions = {}): ShellCommand {
  return sh`${raw(paths.map((p) => fragment(p, quote(p), o)).join('\n'))}`;
}

/**
 * The probe of the path a variable of the surrounding script holds (set on the host, e.g. after
 * ~ expansion there), parsed as the state of `label`.
 */
export function fileStateOfVariable(name: string, label: string, o: ProbeOptions = {}): ShellCommand {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bad shell variable name ${name}`);
  return sh`${raw(fragment(label, `"$${name}"`, o))}`;
}

/** Parse the probe's output into one FileState per path, in order. Pure. */
export function parseFileStates(out: string, paths: string[], o: ProbeOptions = {}): FileState[] {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith(MARK)) {
      current = [];
      sections.set(line.slice(MARK.length), current);
    } else current?.push(line);
  }
  return paths.map((path) => {
    const lines = sections.get(path);
    if (!lines) throw new SamsError(`could not read the state of ${path}`, { hint: 'is GNU coreutils stat available on the host?' });
    const st: FileState = { path, exists: false };
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line === 'absent=1') return { path, exists: false };
      if (line.startsWith('stat=')) {
        const [type, mode, owner, group, uid, gid, size, mtime, atime, inode, nlink, dev] = line.slice(5).split('|');
        st.exists = true;
        st.type = fileTypeOfMode(parseInt(type!, 16));
        st.mode = mode!.padStart(4, '0');
        st.owner = owner;
        st.group = group;
        st.uid = Number(uid);
        st.gid = Number(gid);
        st.size = Number(size);
        st.mtime = Number(mtime);
        st.atime = Number(atime);
        st.inode = Number(inode);
        st.nlink = Number(nlink);
        st.dev = Number(dev);
      } else if (line.startsWith('link=')) {
        st.linkTarget = line.slice(5);
        if (o.follow) st.followed = true;
      } else if (line.startsWith('sha1=')) {
        st.checksum = line.slice(5);
      } else if (line === 'content_too_large=1') {
        st.contentTooLarge = true;
      } else if (line === 'content=') {
        const b64: string[] = [];
        for (i++; i < lines.length && lines[i] !== ''; i++) b64.push(lines[i]!);
        st.content = Buffer.from(b64.join(''), 'base64');
      }
    }
    return st;
  });
}

/** readlink -f of each path (os.path.realpath), NUL-separated, so any name survives. */
export function realpathsCommand(paths: string[]): ShellCommand {
  return sh`${raw(paths.map((x) => sh`printf '%s\\0' "$(readlink -f -- ${x})"`.text).join('\n'))}`;
}

/** Parse realpathsCommand's output: each path's resolved path, the path itself where none came back. Pure. */
export function parseRealpaths(out: string, paths: string[]): Record<string, string> {
  const real = out.split('\0');
  return Object.fromEntries(paths.map((p, i) => [p, real[i] || p]));
}

/** Read the state of several paths in one round trip. */
export async function probeFiles(remote: Remote, paths: string[], o: ProbeOptions = {}): Promise<FileState[]> {
  if (paths.length === 0) return [];
  const r = await remote.exec(fileStateCommand(paths, o));
  if (r.rc !== 0) {
    throw new SamsError(`could not read ${paths.length === 1 ? paths[0] : `${paths.length} paths`}: ${r.stderr.trim() || `rc ${r.rc}`}`);
  }
  return parseFileStates(r.stdout, paths, o);
}

export async function probeFile(remote: Remote, path: string, o: ProbeOptions = {}): Promise<FileState> {
  return (await probeFiles(remote, [path], o))[0]!;
}
