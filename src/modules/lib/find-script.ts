// The one remote command behind `find`: for each path (after ~ and $VAR expansion, as Ansible's
// os.path.expanduser(os.path.expandvars())), every entry GNU find lists with its lstat data as
// NUL-separated records; SHA-1 sums and `grep -P` content matches for the regular files that may
// be selected; and the target's clock. Parsing its output is pure.

import { quote, raw, sh, type ShellCommand } from '../../shell/quote.js';
import { EXPAND_FN } from './expand-path.js';
import type { FindEntry, FindRoot } from './find-walk.js';

export interface FindScriptSpec {
  paths: string[];
  follow: boolean;
  /** find -maxdepth for the listing (undefined: unlimited). */
  listDepth?: number;
  /** Narrowing for the checksum and content passes: a superset of what can be selected. */
  candidates: {
    maxdepth?: number;
    names?: string[];
    hidden: boolean;
    minSize?: number;
    maxSize?: number;
  };
  checksum: boolean;
  /** PCRE for grep -P, and whether the whole file is one subject (-z). */
  contains?: { pcre: string; wholeFile: boolean };
}

const FIELDS = ['%y', '%Y', '%m', '%U', '%G', '%u', '%g', '%s', '%i', '%D', '%n', '%A@', '%T@', '%C@', '%p'];
const FMT = 'E\\0' + FIELDS.join('\\0') + '\\0';

function candidateTests(s: FindScriptSpec): string {
  const c = s.candidates;
  const parts: string[] = [];
  if (c.maxdepth !== undefined) parts.push(`-maxdepth ${c.maxdepth}`);
  parts.push(s.follow ? '-xtype f' : '-type f');
  if (!c.hidden) parts.push(`! -name ${quote('.*')}`);
  if (c.names && c.names.length) parts.push(`\\( ${c.names.map((n) => `-name ${quote(n)}`).join(' -o ')} \\)`);
  if (c.minSize !== undefined && c.minSize > 0) parts.push(`-size +${c.minSize - 1}c`);
  if (c.maxSize !== undefined) parts.push(`-size -${c.maxSize + 1}c`);
  return parts.join(' ');
}

/** The whole remote command. */
export function findCommand(s: FindScriptSpec): ShellCommand {
  // -H: a path given as a symlink to a directory is walked, as os.walk(path) does; entries are lstat()ed.
  const L = s.follow ? '-L' : '-H';
  const depth = s.listDepth !== undefined ? ` -maxdepth ${s.listDepth}` : '';
  const lines: string[] = [
    `find --version 2>/dev/null | grep -q GNU || { echo 'GNU find is needed (find -printf)' >&2; exit 3; }`,
    EXPAND_FN,
    `fmt=${quote(FMT)}`,
    `printf 'NOW\\0%s\\0' "$(date +%s.%N)"`,
  ];
  if (s.contains) {
    lines.push(
      `e=$(printf '' | LC_ALL=C.UTF-8 grep -qP -e ${quote(s.contains.pcre)} 2>&1); if [ $? -gt 1 ]; then printf 'GREPERR\\0%s\\0' "$e"; fi`,
    );
  }
  for (const path of s.paths) {
    lines.push(
      // type=path: expanduser(expandvars()) on the target.
      path.includes('$') || path.startsWith('~') ? `xv ${quote(path)}; p=$R` : `p=${quote(path)}`,
      // A path starting with '-' would be read as an option by find.
      `case $p in -*) q="./$p" ;; *) q=$p ;; esac`,
      `printf 'ROOT\\0%s\\0' "$p"`,
      `if [ -d "$p" ]; then`,
      `  printf 'DIR\\0'`,
    );
    if (s.follow) {
      // find -L reports the link targets' data; Ansible lstat()s every entry, so list with -L and
      // stat each entry again with -P.
      lines.push(`  find -L "$q" -mindepth 1${depth} -print0 | xargs -0r sh -c 'exec find -P "$@" -maxdepth 0 -printf "$0"' "$fmt"`);
    } else {
      lines.push(`  find -H "$q" -mindepth 1${depth} -printf "$fmt"`);
    }
    lines.push(`  printf 'ENDE\\0'`);
    if (s.checksum) {
      lines.push(`  printf 'SUMS\\0'`, `  find ${L} "$q" -mindepth 1 ${candidateTests(s)} -exec sha1sum -z -- {} + 2>/dev/null`, `  printf 'ENDS\\0'`);
    }
    if (s.contains) {
      const z = s.contains.wholeFile ? ' -z' : '';
      lines.push(
        `  printf 'GREP\\0'`,
        `  find ${L} "$q" -mindepth 1 ${candidateTests(s)} -exec env LC_ALL=C.UTF-8 grep -lZI${z} -P -e ${quote(s.contains.pcre)} -- {} + 2>/dev/null`,
        `  printf 'ENDG\\0'`,
      );
    }
    lines.push(`else printf 'NODIR\\0'; fi`);
  }
  lines.push('exit 0');
  return sh`${raw(lines.join('\n'))}`;
}

export interface FindListing {
  now: number;
  roots: FindRoot[];
  /** grep could not use the pattern (or has no -P): its message. */
  grepError?: string;
}

/** Parse the command's output. Pure. */
export function parseFindOutput(out: string): FindListing {
  const t = out.split('\0');
  let i = 0;
  const next = () => t[i++] ?? '';
  let now = 0;
  let grepError: string | undefined;
  const roots: FindRoot[] = [];
  while (i < t.length) {
    const tag = next();
    if (tag === 'NOW') now = Number(next());
    else if (tag === 'GREPERR') grepError = next();
    else if (tag === 'ROOT') {
      const path = next();
      const root: FindRoot = { path, isDir: false, entries: [], checksums: new Map(), containing: new Set() };
      roots.push(root);
      // find was given ./PATH for a path starting with '-'.
      const unprefix = path.startsWith('-') ? (p: string) => p.replace(/^\.\//, '') : (p: string) => p;
      if (next() !== 'DIR') continue;
      root.isDir = true;
      for (let tok = next(); tok === 'E'; tok = next()) {
        const f = t.slice(i, i + FIELDS.length);
        i += FIELDS.length;
        const e: FindEntry = {
          type: f[0]!,
          targetType: f[1]!,
          mode: parseInt(f[2]!, 8),
          uid: Number(f[3]),
          gid: Number(f[4]),
          owner: f[5]!,
          group: f[6]!,
          size: Number(f[7]),
          inode: Number(f[8]),
          dev: Number(f[9]),
          nlink: Number(f[10]),
          atime: Number(f[11]),
          mtime: Number(f[12]),
          ctime: Number(f[13]),
          path: unprefix(f[14]!),
        };
        root.entries.push(e);
      }
      if (t[i] === 'SUMS') {
        i++;
        for (let tok = next(); tok !== 'ENDS' && i <= t.length; tok = next()) {
          const m = /^([0-9a-f]{40}) [ *](.*)$/s.exec(tok);
          if (m) root.checksums.set(unprefix(m[2]!), m[1]!);
        }
      }
      if (t[i] === 'GREP') {
        i++;
        for (let tok = next(); tok !== 'ENDG' && i <= t.length; tok = next()) root.containing.add(unprefix(tok));
      }
    }
  }
  return { now, roots, grepError };
}
