// owner / group / mode of a path: what the wanted values mean for the current state, and the one
// command that sets them. Symbolic modes (u=rw,g=r,o=) are computed here as chmod(1) does.

import { SamsError } from '../../errors.js';
import type { FileState } from '../../facts/file-state.js';
import { andThen, quote, raw, sh, ShellCommand } from '../../shell/quote.js';

export interface WantedAttrs {
  owner?: string;
  group?: string;
  /** Octal string ('0644'), symbolic ('u=rw,g=r,o='), or 'preserve' (keep). */
  mode?: string;
}

/** Apply a symbolic mode (chmod's syntax) to a numeric mode. Pure. `umask` only affects who-less clauses. */
export function applySymbolicMode(current: number, spec: string, isDir: boolean, umask = 0o022): number {
  let mode = current & 0o7777;
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)([-+=])([rwxXstugo]*)$/.exec(clause.trim());
    if (!m) throw new SamsError(`invalid symbolic mode '${spec}'`, { hint: "write it as chmod does, e.g. 'u=rw,g=r,o='" });
    const [, whoRaw, op, permsRaw] = m as unknown as [string, string, string, string];
    const who = whoRaw === '' ? 'a' : whoRaw;
    const users = new Set(who.includes('a') ? ['u', 'g', 'o'] : who.split(''));
    let bits = 0;
    const copyFrom = (w: string) => {
      const shift = w === 'u' ? 6 : w === 'g' ? 3 : 0;
      return (mode >> shift) & 7;
    };
    for (const p of permsRaw) {
      for (const u of users) {
        const shift = u === 'u' ? 6 : u === 'g' ? 3 : 0;
        switch (p) {
          case 'r':
            bits |= 4 << shift;
            break;
          case 'w':
            bits |= 2 << shift;
            break;
          case 'x':
            bits |= 1 << shift;
            break;
          case 'X':
            if (isDir || (mode & 0o111) !== 0) bits |= 1 << shift;
            break;
          case 's':
            if (u === 'u') bits |= 0o4000;
            if (u === 'g') bits |= 0o2000;
            break;
          case 't':
            if (u === 'o') bits |= 0o1000;
            break;
          case 'u':
          case 'g':
          case 'o':
            bits |= copyFrom(p) << shift;
            break;
        }
      }
    }
    // A clause without who letters is filtered by the umask, as chmod does.
    if (whoRaw === '') bits &= ~umask;
    let mask = 0;
    for (const u of users) mask |= u === 'u' ? 0o4700 : u === 'g' ? 0o2070 : 0o1007;
    if (op === '+') mode |= bits;
    else if (op === '-') mode &= ~bits;
    else mode = (mode & ~mask) | (bits & mask);
  }
  return mode;
}

/** The numeric mode wanted, given the current one (for symbolic modes), or undefined for no change. */
export function wantedMode(want: string | undefined, current: number | undefined, isDir: boolean): number | undefined {
  if (want === undefined || want === 'preserve') return undefined;
  if (/^0?[0-7]{3,4}$/.test(want)) return parseInt(want, 8);
  return applySymbolicMode(current ?? (isDir ? 0o755 : 0o644), want, isDir);
}

export function formatMode(n: number): string {
  return '0' + (n & 0o7777).toString(8).padStart(3, '0');
}

/** Whether a wanted owner or group (a name, or a number as a uid/gid) is the one a path has. */
export function sameUser(want: string, name: string | undefined, id: number | undefined): boolean {
  return /^\d+$/.test(want) ? Number(want) === id : want === name;
}

export interface AttrChanges {
  /** One command setting what differs (undefined when nothing does). */
  command?: ShellCommand;
  /** Before/after values of what differs, for --diff and the result. */
  before: Record<string, string>;
  after: Record<string, string>;
}

/**
 * What to change so `state` has the wanted owner, group and mode. `state` must exist (for a path
 * that is about to be created, pass the state it will have). `follow: false` on a link changes the
 * link itself (chown -h; links have no mode of their own on Linux).
 */
export function planAttrs(path: string, state: FileState, want: WantedAttrs, opts: { recurse?: boolean; follow?: boolean } = {}): AttrChanges {
  const before: Record<string, string> = {};
  const after: Record<string, string> = {};
  const parts: string[] = [];
  const isLink = state.type === 'link' && !state.followed;
  const r = opts.recurse ? '-R ' : '';
  const h = isLink ? '-h ' : '';
  if (want.owner !== undefined && !sameUser(want.owner, state.owner, state.uid)) {
    before.owner = state.owner ?? '';
    after.owner = want.owner;
    parts.push(`chown ${r}${h}${quote(want.owner)} -- ${quote(path)}`);
  }
  if (want.group !== undefined && !sameUser(want.group, state.group, state.gid)) {
    before.group = state.group ?? '';
    after.group = want.group;
    parts.push(`chgrp ${r}${h}${quote(want.group)} -- ${quote(path)}`);
  }
  if (!isLink) {
    const cur = state.mode !== undefined ? parseInt(state.mode, 8) : undefined;
    const target = wantedMode(want.mode, cur, state.type === 'directory');
    if (target !== undefined && target !== cur) {
      before.mode = state.mode ?? '';
      after.mode = formatMode(target);
      // Symbolic modes go to chmod as written so recursion applies them per file, as chmod -R does.
      const arg = opts.recurse && want.mode && !/^0?[0-7]{3,4}$/.test(want.mode) ? want.mode : formatMode(target);
      parts.push(`chmod ${r}${quote(arg)} -- ${quote(path)}`);
    }
  }
  return {
    command: parts.length ? new ShellCommand(parts.join(' && '), parts.join(' && ')) : undefined,
    before,
    after,
  };
}

/** owner/group/mode for a path the plan creates: set whatever is given (its values are unknown until then). `link`: the link itself (chown -h, no mode). */
export function newPathAttrs(path: string, want: WantedAttrs, link = false): ShellCommand | undefined {
  const h = raw(link ? '-h ' : '');
  const cmds: ShellCommand[] = [];
  if (want.owner !== undefined) cmds.push(sh`chown ${h}${want.owner} -- ${path}`);
  if (want.group !== undefined) cmds.push(sh`chgrp ${h}${want.group} -- ${path}`);
  if (want.mode !== undefined && !link) cmds.push(sh`chmod ${want.mode} -- ${path}`);
  return cmds.length ? andThen(...cmds) : undefined;
}
