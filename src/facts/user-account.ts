// A user account on a host, read in one round trip: passwd and shadow entries, group memberships,
// the groups a task names, the home directory, /etc/login.defs UMASK and an ssh key's state.

import { Sections } from '../modules/lib/facts/sections.js';
import type { Remote } from '../modules/types.js';
import { quote, raw, sh, type ShellCommand } from '../shell/quote.js';
import { SamsError } from '../errors.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  comment: string;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export interface SshKeyState {
  /** The private key's path (absolute, under the home for a relative ssh_key_file). */
  path: string;
  privExists: boolean;
  pubExists: boolean;
  /** The public key, stripped. */
  publicKey?: string;
  fingerprintRc: number;
  /** `ssh-keygen -l -f KEY` output (stdout on success, stderr otherwise). */
  fingerprint: string;
}

export interface UserState {
  /** The host's node name (uname -n): Ansible's default ssh key comment uses it. */
  hostname: string;
  user?: PasswdEntry;
  /** From shadow (empty when it cannot be read, as Ansible's user_password()). */
  passwordHash: string;
  /** Account expiry in days since the epoch; -1 when unset. */
  expires: number;
  /** Groups that list the user as a member (the primary group too when it lists the user). */
  memberOf: string[];
  /** The groups asked about (by name or gid), null when missing. */
  groups: Record<string, GroupEntry | null>;
  /** UMASK from /etc/login.defs (the last match, as Ansible's loop keeps it). */
  loginDefsUmask?: number;
  /** The user's current home exists. */
  currentHomeExists: boolean;
  /** The wanted home (the `home` argument) exists, and its parent directory. */
  wantedHomeExists?: boolean;
  wantedHomeParentExists?: boolean;
  skeletonExists: boolean;
  key?: SshKeyState;
}

export interface UserProbeSpec {
  name: string;
  /** Groups to look up (group, groups, and the user's own name). */
  groupQueries: string[];
  home?: string;
  skeleton?: string;
  /** ssh_key_file: absolute, or relative to the home (the wanted one, else the current one). */
  sshKeyFile?: string;
}

export function parsePasswdLine(line: string): PasswdEntry | undefined {
  const f = line.split(':');
  if (f.length < 7) return undefined;
  return { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), comment: f[4]!, home: f[5]!, shell: f.slice(6).join(':') };
}

export function parseGroupLine(line: string): GroupEntry | undefined {
  const f = line.split(':');
  if (f.length < 4) return undefined;
  return { name: f[0]!, gid: Number(f[2]), members: f[3]! === '' ? [] : f[3]!.split(',') };
}

const PRELUDE = String.raw`S() { printf '\036sams:%s\n' "$1"; }
E() { printf '\n'; }`;

/** The probe: one script, sections as in setup-script.ts. */
export function userProbeScript(s: UserProbeSpec): ShellCommand {
  const n = quote(s.name);
  const lines = [
    PRELUDE,
    `n=${n}`,
    'S host; uname -n; E',
    'h=',
    'if pw=$(getent passwd -- "$n"); then',
    '  S passwd; printf \'%s\\n\' "$pw"; E',
    '  S shadow; getent shadow -- "$n" 2>/dev/null; E',
    '  h=$(printf \'%s\\n\' "$pw" | cut -d: -f6)',
    '  if [ -n "$h" ] && [ -e "$h" ]; then S curhome; E; fi',
    'fi',
    // Membership as Ansible reads it: groups whose member list names the user.
    `S member; getent group | awk -F: -v u="$n" '{k=split($4,m,","); for(i=1;i<=k;i++) if(m[i]==u){print $1; break}}'; E`,
  ];
  for (const g of s.groupQueries) lines.push(`S ${quote(`group:${g}`)}; getent group -- ${quote(g)}; E`);
  lines.push(`S umask; sed -n 's/^UMASK[[:space:]]\\{1,\\}\\([0-9]\\{1,\\}\\)$/\\1/p' /etc/login.defs 2>/dev/null; E`);
  if (s.home !== undefined) {
    const h = quote(s.home);
    lines.push(`h=${h}`, `S wanthome; if [ -e ${h} ]; then echo exists; fi; if [ -d "$(dirname -- ${h})" ]; then echo parent; fi; E`);
  }
  lines.push(`if [ -e ${quote(s.skeleton ?? '/etc/skel')} ]; then S skel; E; fi`);
  if (s.sshKeyFile !== undefined) {
    const f = s.sshKeyFile.startsWith('/') ? quote(s.sshKeyFile) : `"$h"/${quote(s.sshKeyFile)}`;
    lines.push(
      `f=${f}`,
      'S keypath; printf \'%s\\n\' "$f"; E',
      'S key; if [ -e "$f" ]; then echo priv; fi; if [ -e "$f.pub" ]; then echo pub; fi; E',
      'if [ -e "$f.pub" ]; then S pubkey; cat -- "$f.pub"; E; fi',
      'if [ -e "$f" ]; then o=$(ssh-keygen -l -f "$f" 2>&1); r=$?; S fingerprint; printf \'%s\\n%s\' "$r" "$o"; E; fi',
    );
  }
  lines.push('exit 0');
  return sh`${raw(lines.join('\n'))}`;
}

/** Parse the probe's output. Pure. */
export function parseUserProbe(out: string, s: UserProbeSpec): UserState {
  const sec = new Sections(out);
  const body = (k: string) => sec.raw(k);
  const user = body('passwd') !== undefined ? parsePasswdLine(body('passwd')!.replace(/\n$/, '')) : undefined;
  const shadow = (body('shadow') ?? '').replace(/\n$/, '').split(':');
  const groups: Record<string, GroupEntry | null> = {};
  for (const g of s.groupQueries) {
    const line = (body(`group:${g}`) ?? '').split('\n')[0] ?? '';
    groups[g] = line ? (parseGroupLine(line) ?? null) : null;
  }
  const umasks = (body('umask') ?? '').split('\n').filter((l) => /^\d+$/.test(l));
  const want = (body('wanthome') ?? '').split('\n');
  const st: UserState = {
    hostname: (body('host') ?? '').trim(),
    user,
    passwordHash: shadow.length > 1 ? shadow[1]! : '',
    expires: shadow.length > 7 && /^-?\d+$/.test(shadow[7]!) ? Number(shadow[7]) : -1,
    memberOf: (body('member') ?? '').split('\n').filter((l) => l !== ''),
    groups,
    loginDefsUmask: umasks.length ? parseInt(umasks[umasks.length - 1]!, 8) : undefined,
    currentHomeExists: sec.has('curhome'),
    skeletonExists: sec.has('skel'),
  };
  if (s.home !== undefined) {
    st.wantedHomeExists = want.includes('exists');
    st.wantedHomeParentExists = want.includes('parent');
  }
  if (s.sshKeyFile !== undefined) {
    const k = (body('key') ?? '').split('\n');
    const fp = body('fingerprint');
    const nl = fp?.indexOf('\n') ?? -1;
    st.key = {
      path: (body('keypath') ?? '').replace(/\n$/, ''),
      privExists: k.includes('priv'),
      pubExists: k.includes('pub'),
      publicKey: body('pubkey')?.trim(),
      fingerprintRc: fp === undefined ? 1 : Number(nl < 0 ? fp : fp.slice(0, nl)),
      fingerprint: fp === undefined ? '' : nl < 0 ? '' : fp.slice(nl + 1),
    };
  }
  return st;
}

export async function probeUser(remote: Remote, s: UserProbeSpec): Promise<UserState> {
  const r = await remote.exec(userProbeScript(s));
  if (r.rc !== 0) throw new SamsError(`could not read user ${s.name}: ${r.stderr.trim() || `rc ${r.rc}`}`);
  return parseUserProbe(r.stdout, s);
}
