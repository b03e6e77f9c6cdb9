// user: create, change or remove a local user account with useradd/usermod/userdel as Ansible's
// user module does on Linux; the password hash goes through `chpasswd -e` on stdin, never argv.

import { posix } from 'node:path';
import { z } from 'zod';
import { probeUser, type UserProbeSpec, type UserState } from '../facts/user-account.js';
import { isSecret, Secret } from '../secret.js';
import { quote, raw, sh, type ShellCommand } from '../shell/quote.js';
import { zBool, zInt, zList, zNumber, zStr, zStrOrSecret } from './lib/args.js';
import { defineModule, type Diff, type Plan, type PlanEnv, type Step } from './types.js';

const args = z
  .object({
    name: zStr().optional(),
    user: zStr().optional(),
    state: z.enum(['present', 'absent']).default('present'),
    uid: zInt().optional(),
    non_unique: zBool().default(false),
    group: zStr().optional(),
    groups: zList(zStr()).optional(),
    append: zBool().default(false),
    comment: zStr().optional(),
    home: zStr().optional(),
    shell: zStr().optional(),
    create_home: zBool().optional(),
    createhome: zBool().optional(),
    move_home: zBool().default(false),
    skeleton: zStr().optional(),
    system: zBool().default(false),
    password: zStrOrSecret().optional(),
    update_password: z.enum(['always', 'on_create']).default('always'),
    password_lock: zBool().optional(),
    expires: zNumber().optional(),
    remove: zBool().default(false),
    force: zBool().default(false),
    generate_ssh_key: zBool().default(false),
    ssh_key_bits: zInt().default(0),
    ssh_key_type: zStr().default('rsa'),
    ssh_key_file: zStr().optional(),
    ssh_key_comment: zStr().optional(),
    ssh_key_passphrase: zStrOrSecret().optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const issue = (message: string, path: string[]) => ctx.addIssue({ code: 'custom', message, path });
    if (a.name === undefined && a.user === undefined) issue('missing required argument: name', []);
    if (a.name !== undefined && a.user !== undefined) issue('give name or its alias user, not both', ['user']);
    if (a.create_home !== undefined && a.createhome !== undefined) issue('give create_home or its alias createhome, not both', ['createhome']);
    if (a.uid !== undefined && a.uid < 0) issue('uid must not be negative', ['uid']);
    if (a.non_unique && a.uid === undefined) issue('non_unique needs uid', ['non_unique']);
  });

export type UserArgs = z.output<typeof args>;

export const NOT_LOGGING_PASSWORD = 'NOT_LOGGING_PASSWORD';

export function userName(a: UserArgs): string {
  return (a.name ?? a.user)!;
}

function createHome(a: UserArgs): boolean {
  return a.create_home ?? a.createhome ?? true;
}

/** The `groups` argument as Ansible reads it: joined with commas, split again, blanks dropped, deduplicated. */
export function wantedGroups(a: UserArgs): string[] | undefined {
  if (a.groups === undefined) return undefined;
  return [...new Set(a.groups.join(',').split(',').map((g) => g.trim()).filter((g) => g !== ''))];
}

function sshKeyFile(a: UserArgs): string {
  return a.ssh_key_file ?? `.ssh/id_${a.ssh_key_type}`;
}

export function userProbeSpec(a: UserArgs): UserProbeSpec {
  const name = userName(a);
  const queries = new Set<string>();
  if (a.group !== undefined) queries.add(a.group);
  for (const g of wantedGroups(a) ?? []) queries.add(g);
  queries.add(name);
  return {
    name,
    groupQueries: [...queries],
    home: a.home,
    skeleton: a.skeleton,
    sshKeyFile: a.state === 'present' && a.generate_ssh_key ? sshKeyFile(a) : undefined,
  };
}

function reveal(v: string | Secret): string {
  return isSecret(v) ? v.reveal() : v;
}

/** Ansible's check_password_encrypted(): does this look like something other than a crypt hash? */
export function passwordLooksUnhashed(pw: string): boolean {
  if (pw === '' || ['*', '!', '*************'].includes(pw)) return false;
  if ([':', '*', '!'].some((c) => pw.includes(c))) return true;
  if (!pw.includes('$')) return true;
  const f = pw.split('$');
  if (f.length < 3) return true;
  const last = f[f.length - 1]!;
  if (/[^a-zA-Z0-9./]/.test(last)) return true;
  const lengths: Record<string, number> = { '1': 22, '5': 43, '6': 86 };
  return lengths[f[1]!] !== undefined && last.length !== lengths[f[1]!];
}

/** Warnings Ansible prints for these arguments and this state. */
export function userWarnings(a: UserArgs, st: UserState): string[] {
  const out: string[] = [];
  if (a.password !== undefined && passwordLooksUnhashed(reveal(a.password))) {
    out.push("The input password appears not to have been hashed. The 'password' argument must be encrypted for this module to work properly.");
  }
  if (a.groups === undefined && a.append) {
    out.push("'append' is set, but no 'groups' are specified. Use 'groups' for appending new groups.This will change to an error in Ansible 2.14.");
  }
  const k = st.key;
  if (a.state === 'present' && a.generate_ssh_key && st.user && k) {
    if (k.privExists) {
      out.push(a.force ? `Overwriting existing ssh key private file "${k.path}"` : `Found existing ssh key private file "${k.path}", no force, so skipping ssh-keygen generation`);
    } else if (k.pubExists) {
      out.push(a.force ? `Overwriting existing ssh key public file "${k.path}.pub"` : `Found existing ssh key public file "${k.path}.pub", no force, so skipping ssh-keygen generation`);
    }
  }
  return out;
}

/** time.strftime('%Y-%m-%d', time.gmtime(seconds)). */
function utcDate(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString().slice(0, 10);
}

function cmd(words: (string | number)[]): ShellCommand {
  return sh`${words}`;
}

/** `chpasswd -e` with NAME:HASH on stdin: the hash never shows in the process list. */
function passwordStep(name: string, hash: string | Secret): Step {
  const line = isSecret(hash) ? new Secret(`${name}:${hash.reveal()}\n`) : `${name}:${hash}\n`;
  return { kind: 'run', cmd: sh`chpasswd -e`, stdin: line };
}

function lockedHash(pw: string | Secret, lock: boolean | undefined): string | Secret {
  if (!lock) return pw;
  return isSecret(pw) ? new Secret(`!${pw.reveal()}`) : `!${pw}`;
}

/** Copy the skeleton into a missing home, set its mode from login.defs, give it to the user (Ansible's create_homedir + chown_homedir). */
function homeDirStep(name: string, home: string, skeleton: string, umask: number | undefined): Step {
  const lines = [
    `h=${quote(home)}`,
    `if [ -e ${quote(skeleton)} ]; then mkdir -p -- "$(dirname -- "$h")" && cp -a -- ${quote(skeleton)} "$h" || exit 1; else mkdir -p -- "$h" || exit 1; fi`,
  ];
  if (umask !== undefined) lines.push(`chmod ${(0o777 & ~umask).toString(8).padStart(4, '0')} -- "$h" || exit 1`);
  lines.push(`chown -R -- ${quote(name)}: "$h"`);
  return { kind: 'run', cmd: sh`${raw(lines.join('\n'))}` };
}

/** ssh-keygen for the user, into the home as it is when the step runs (useradd may just have made it). */
function sshKeyStep(a: UserArgs, hostname: string): Step {
  const name = userName(a);
  const file = sshKeyFile(a);
  const f = file.startsWith('/') ? quote(file) : `"$h"/${quote(file)}`;
  const kg = ['ssh-keygen', '-t', a.ssh_key_type, ...(a.ssh_key_bits > 0 ? ['-b', String(a.ssh_key_bits)] : []), '-C', a.ssh_key_comment ?? `ansible-generated on ${hostname}`];
  const lines = [
    `u=${quote(name)}`,
    'h=$(getent passwd -- "$u" | cut -d: -f6)',
    `f=${f}`,
    'd=$(dirname -- "$f")',
    'if [ ! -e "$d" ]; then mkdir -m 0700 -- "$d" && chown -- "$u": "$d" || exit 1; fi',
    a.force ? 'rm -f -- "$f" "$f.pub"' : 'if [ -e "$f" ] || [ -e "$f.pub" ]; then exit 0; fi',
    // The passphrase comes on stdin, not in this script's text.
    a.ssh_key_passphrase !== undefined ? 'IFS= read -r pp || [ -n "$pp" ]' : 'pp=',
    `${kg.map(quote).join(' ')} -f "$f" -N "$pp" </dev/null >/dev/null || exit 1`,
    'chown -- "$u": "$f" "$f.pub"',
  ];
  const pp = a.ssh_key_passphrase;
  return {
    kind: 'run',
    cmd: sh`${raw(lines.join('\n'))}`,
    stdin: pp === undefined ? undefined : isSecret(pp) ? new Secret(pp.reveal() + '\n') : pp + '\n',
  };
}

/** Values Ansible returns for an existing user (and its ssh key) from the state read. */
function accountData(a: UserArgs, st: UserState): Record<string, unknown> {
  const u = st.user;
  const d: Record<string, unknown> = {};
  if (!u) return d;
  Object.assign(d, { uid: u.uid, group: u.gid, comment: u.comment, home: u.home, shell: u.shell });
  if (a.generate_ssh_key && st.key) {
    d.ssh_fingerprint = st.key.fingerprint.trim();
    d.ssh_key_file = st.key.path;
    d.ssh_public_key = st.key.publicKey ?? null;
  }
  return d;
}

/** After a change: read the account back for the returned uid, home, ssh key... */
function readBackStep(a: UserArgs): Step {
  return {
    kind: 'custom',
    describe: `read back user ${userName(a)}`,
    async apply(env) {
      const st = await probeUser(env.remote, userProbeSpec(a));
      return { ok: true, data: accountData(a, st) };
    },
  };
}

function describeUser(fields: Record<string, string | number | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}\n`)
    .join('');
}

function planCreate(a: UserArgs, st: UserState, groups: string[] | undefined, check: boolean): Plan {
  const name = userName(a);
  const words: (string | number)[] = ['useradd'];
  if (a.uid !== undefined) words.push('-u', a.uid, ...(a.non_unique ? ['-o'] : []));
  // In check mode Ansible predicts a new user without looking at its groups: an earlier task may
  // be about to create them.
  const missing = (g: string) => !st.groups[g] && !check;
  if (a.group !== undefined) {
    if (missing(a.group)) return { kind: 'fail', msg: `Group ${a.group} does not exist` };
    words.push('-g', a.group);
  } else if (st.groups[name]) {
    // A group named like the user exists already: useradd must not try to create it (USERGROUPS_ENAB).
    words.push('-N');
  }
  if (groups !== undefined && groups.length) {
    for (const g of groups) if (missing(g)) return { kind: 'fail', msg: `Group ${g} does not exist` };
    words.push('-G', groups.join(','));
  }
  if (a.comment !== undefined) words.push('-c', a.comment);
  const steps: Step[] = [];
  if (a.home !== undefined) {
    if (createHome(a) && !st.wantedHomeParentExists) steps.push({ kind: 'run', cmd: sh`mkdir -p -- ${posix.dirname(a.home)}` });
    words.push('-d', a.home);
  }
  if (a.shell !== undefined) words.push('-s', a.shell);
  if (a.expires !== undefined) words.push('-e', a.expires < 0 ? '' : utcDate(a.expires));
  if (createHome(a)) {
    words.push('-m');
    if (a.skeleton !== undefined) words.push('-k', a.skeleton);
  } else words.push('-M');
  if (a.system) words.push('-r');
  words.push(name);
  steps.push({ kind: 'run', cmd: cmd(words) });
  if (a.password !== undefined) steps.push(passwordStep(name, lockedHash(a.password, a.password_lock)));
  if (a.generate_ssh_key) steps.push(sshKeyStep(a, st.hostname));
  steps.push(readBackStep(a));
  const data: Record<string, unknown> = { name, state: a.state, system: a.system, create_home: createHome(a) };
  if (a.password !== undefined) data.password = NOT_LOGGING_PASSWORD;
  if (a.groups !== undefined) data.groups = a.groups.join(',');
  const after = describeUser({
    name,
    uid: a.uid,
    group: a.group,
    groups: groups?.join(','),
    comment: a.comment,
    home: a.home,
    shell: a.shell,
    password: a.password !== undefined ? (a.password_lock ? '(new hash, locked)' : '(new hash)') : undefined,
  });
  return { kind: 'change', steps, note: `create user ${name}`, diff: [{ target: `user ${name}`, before: '', after }], data };
}

function planModify(a: UserArgs, st: UserState, groups: string[] | undefined): Plan {
  const name = userName(a);
  const u = st.user!;
  const words: (string | number)[] = [];
  let gid = u.gid;
  if (a.uid !== undefined && u.uid !== a.uid) words.push('-u', a.uid, ...(a.non_unique ? ['-o'] : []));
  if (a.group !== undefined) {
    const g = st.groups[a.group];
    if (!g) return { kind: 'fail', msg: `Group ${a.group} does not exist` };
    gid = g.gid;
    if (u.gid !== g.gid) words.push('-g', g.gid);
  }
  let newGroups = [...st.memberOf];
  if (groups !== undefined) {
    let need = false;
    if (groups.length === 0) {
      if (st.memberOf.length && !a.append) need = true;
    } else {
      for (const g of groups) if (!st.groups[g]) return { kind: 'fail', msg: `Group ${g} does not exist` };
      const cur = new Set(st.memberOf);
      const want = new Set(groups);
      const diff = new Set([...cur].filter((g) => !want.has(g)).concat(groups.filter((g) => !cur.has(g))));
      if (diff.size) {
        if (a.append) {
          if (groups.some((g) => diff.has(g))) {
            words.push('-a');
            need = true;
          }
        } else need = true;
      }
    }
    if (need) {
      words.push('-G', groups.join(','));
      newGroups = a.append ? [...new Set([...st.memberOf, ...groups])] : groups;
    }
  }
  if (a.comment !== undefined && u.comment !== a.comment) words.push('-c', a.comment);
  const homeChanges = a.home !== undefined && u.home !== a.home;
  if (homeChanges) words.push('-d', a.home!, ...(a.move_home ? ['-m'] : []));
  if (a.shell !== undefined && u.shell !== a.shell) words.push('-s', a.shell);
  if (a.expires !== undefined) {
    if (a.expires < 0) {
      if (st.expires >= 0) words.push('-e', '');
    } else if (st.expires < 0 || utcDate(st.expires * 86400) !== utcDate(a.expires)) words.push('-e', utcDate(a.expires));
  }
  const cur = st.passwordHash;
  if (a.password_lock === true && !cur.startsWith('!')) words.push('-L');
  else if (a.password_lock === false && cur.startsWith('!')) words.push('-U');
  let newHash: string | Secret | undefined;
  if (a.update_password === 'always' && a.password !== undefined && cur.replace(/^!+/, '') !== reveal(a.password).replace(/^!+/, '')) {
    // The hash replaces the lock flags: a locked account gets '!' before it (as usermod -p '!HASH').
    const i = words.findIndex((w) => w === '-L' || w === '-U');
    if (i >= 0) words.splice(i, 1);
    newHash = lockedHash(a.password, a.password_lock);
  }

  const steps: Step[] = [];
  if (words.length) steps.push({ kind: 'run', cmd: cmd(['usermod', ...words, name]) });
  if (newHash !== undefined) steps.push(passwordStep(name, newHash));

  // A missing home is made from the skeleton (Ansible does this for every existing user).
  const home = a.home ?? u.home;
  const homeExists = homeChanges ? st.wantedHomeExists || (a.move_home && st.currentHomeExists) : st.currentHomeExists;
  if (createHome(a) && !homeExists) steps.push(homeDirStep(name, home, a.skeleton ?? '/etc/skel', st.loginDefsUmask));

  let keyChange = false;
  if (a.generate_ssh_key) {
    const k = st.key;
    keyChange = !k || a.force || (!k.privExists && !k.pubExists);
    if (keyChange) steps.push(sshKeyStep(a, st.hostname));
  }

  const data: Record<string, unknown> = { name, state: a.state, append: a.append, move_home: a.move_home, ...accountData(a, st) };
  Object.assign(data, { uid: a.uid ?? u.uid, group: gid, comment: a.comment ?? u.comment, home, shell: a.shell ?? u.shell });
  if (a.password !== undefined) data.password = NOT_LOGGING_PASSWORD;
  if (a.groups !== undefined) data.groups = a.groups.join(',');
  if (!steps.length) return { kind: 'ok', note: `user ${name} already as wanted`, data };
  steps.push(readBackStep(a));

  const pwBefore = cur === '' ? undefined : cur.startsWith('!') ? '(hash, locked)' : '(hash)';
  const lockedAfter = newHash !== undefined ? a.password_lock === true : words.includes('-L') ? true : words.includes('-U') ? false : cur.startsWith('!');
  const pwAfter = newHash !== undefined ? (lockedAfter ? '(new hash, locked)' : '(new hash)') : cur === '' ? undefined : lockedAfter ? '(hash, locked)' : '(hash)';
  const diff: Diff[] = [
    {
      target: `user ${name}`,
      before: describeUser({ name, uid: u.uid, group: u.gid, groups: st.memberOf.join(','), comment: u.comment, home: u.home, shell: u.shell, password: pwBefore, expires: st.expires >= 0 ? utcDate(st.expires * 86400) : undefined }),
      after: describeUser({
        name,
        uid: a.uid ?? u.uid,
        group: gid,
        groups: newGroups.join(','),
        comment: a.comment ?? u.comment,
        home,
        shell: a.shell ?? u.shell,
        password: pwAfter,
        expires: a.expires === undefined ? (st.expires >= 0 ? utcDate(st.expires * 86400) : undefined) : a.expires < 0 ? undefined : utcDate(a.expires),
      }),
    },
  ];
  const what = [words.length ? 'usermod' : '', newHash !== undefined ? 'password' : '', !homeExists && createHome(a) ? 'home directory' : '', keyChange ? 'ssh key' : '']
    .filter(Boolean)
    .join(', ');
  return { kind: 'change', steps, note: `user ${name}: ${what}`, diff, data };
}

export function planUser(a: UserArgs, st: UserState, env: Pick<PlanEnv, 'check'> = { check: false }): Plan {
  const name = userName(a);
  if (a.state === 'absent') {
    if (!st.user) return { kind: 'ok', note: `user ${name} does not exist`, data: { name, state: a.state } };
    const u = st.user;
    return {
      kind: 'change',
      steps: [{ kind: 'run', cmd: cmd(['userdel', ...(a.force ? ['-f'] : []), ...(a.remove ? ['-r'] : []), name]) }],
      note: `remove user ${name}${a.remove ? ' and its home' : ''}`,
      diff: [{ target: `user ${name}`, before: describeUser({ name, uid: u.uid, group: u.gid, comment: u.comment, home: u.home, shell: u.shell }), after: '' }],
      data: { name, state: a.state, force: a.force, remove: a.remove },
    };
  }
  const groups = wantedGroups(a);
  return st.user ? planModify(a, st, groups) : planCreate(a, st, groups, env.check);
}

export default defineModule({
  name: 'user',
  summary: 'Create, change or remove a local user account (useradd/usermod/userdel), its password hash and ssh key.',
  where: 'target',
  args,
  check: 'plan',
  async probe(env, a: UserArgs) {
    const st = await probeUser(env.remote, userProbeSpec(a));
    for (const w of userWarnings(a, st)) env.warn(w);
    return st;
  },
  plan: (a, st, env) => planUser(a, st, env),
});
