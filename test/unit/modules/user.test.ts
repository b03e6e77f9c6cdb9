// user planning from fixture states: the useradd/usermod/userdel command lines Ansible's user module
// would run, the password going through chpasswd's stdin, home and ssh key steps, the probe parser.

import { describe, expect, test } from 'vitest';
import { parseUserProbe, userProbeScript, type UserState } from '../../../src/facts/user-account.js';
import userModule, { passwordLooksUnhashed, planUser, userProbeSpec, userWarnings, type UserArgs } from '../../../src/modules/user.js';
import type { Plan, Step } from '../../../src/modules/types.js';
import { Secret } from '../../../src/secret.js';
import { argError, args } from './env.js';

const HASH = '$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1';

function userArgs(raw: Record<string, unknown>): UserArgs {
  return args(userModule, raw);
}

function state(o: Partial<UserState> = {}): UserState {
  return { hostname: 'mail1', passwordHash: '', expires: -1, memberOf: [], groups: {}, currentHomeExists: true, skeletonExists: true, ...o };
}

const vmail = { name: 'vmail', uid: 5000, gid: 5000, comment: 'Virtual Mail', home: '/var/vmail', shell: '/usr/sbin/nologin' };
const grp = (name: string, gid: number) => ({ name, gid, members: [] });

function runs(p: Plan): string[] {
  return p.kind === 'change' ? p.steps.filter((s): s is Extract<Step, { kind: 'run' }> => s.kind === 'run').map((s) => s.cmd.text) : [];
}

function stdins(p: Plan): unknown[] {
  return p.kind === 'change' ? p.steps.filter((s) => s.kind === 'run' && s.stdin !== undefined).map((s) => (s as { stdin: unknown }).stdin) : [];
}

describe('creating a user', () => {
  test('our vmail shape: uid, primary group, home, nologin shell', () => {
    const p = planUser(
      userArgs({ name: 'vmail', uid: 5000, group: 'vmail', home: '/var/vmail', shell: '/usr/sbin/nologin', comment: 'Virtual Mail' }),
      state({ groups: { vmail: grp('vmail', 5000) }, wantedHomeExists: false, wantedHomeParentExists: true }),
    );
    expect(runs(p)).toEqual(["useradd -u 5000 -g vmail -c 'Virtual Mail' -d /var/vmail -s /usr/sbin/nologin -m vmail"]);
    expect(p).toMatchObject({ kind: 'change', data: { name: 'vmail', state: 'present', system: false, create_home: true } });
    // The uid, home... the system chose are read back after the change.
    expect(p.kind === 'change' && p.steps.at(-1)).toMatchObject({ kind: 'custom', describe: 'read back user vmail' });
  });

  test('our postgres shape: a system user with a fixed uid and a password hash on stdin', () => {
    const p = planUser(userArgs({ name: 'postgres', uid: 999, system: true, home: '/var/lib/postgresql', shell: '/bin/bash', password: HASH }), state({ wantedHomeParentExists: true }));
    expect(runs(p)).toEqual(['useradd -u 999 -d /var/lib/postgresql -s /bin/bash -m -r postgres', 'chpasswd -e']);
    expect(runs(p).join(' ')).not.toContain(HASH);
    expect(stdins(p)).toEqual([`postgres:${HASH}\n`]);
    expect(p.kind === 'change' && p.data?.password).toBe('NOT_LOGGING_PASSWORD');
  });

  test('a vault password stays a Secret on its way to chpasswd; password_lock prefixes "!"', () => {
    const p = planUser(userArgs({ name: 'u', password: new Secret(HASH), password_lock: true }), state());
    const [stdin] = stdins(p);
    expect(stdin).toBeInstanceOf(Secret);
    expect((stdin as Secret).reveal()).toBe(`u:!${HASH}\n`);
  });

  test('-N when a group named like the user exists; -M without a home; -k skeleton; -o non_unique; -e expires', () => {
    expect(runs(planUser(userArgs({ name: 'u' }), state({ groups: { u: grp('u', 7) } }))) ).toEqual(['useradd -N -m u']);
    expect(runs(planUser(userArgs({ name: 'u', create_home: false }), state()))).toEqual(['useradd -M u']);
    expect(runs(planUser(userArgs({ name: 'u', createhome: 'no' }), state()))).toEqual(['useradd -M u']);
    expect(runs(planUser(userArgs({ name: 'u', skeleton: '/etc/skel2' }), state()))).toEqual(['useradd -m -k /etc/skel2 u']);
    expect(runs(planUser(userArgs({ name: 'u', uid: 5, non_unique: true }), state()))).toEqual(['useradd -u 5 -o -m u']);
    expect(runs(planUser(userArgs({ name: 'u', expires: 1767225600 }), state()))).toEqual(['useradd -e 2026-01-01 -m u']);
    expect(runs(planUser(userArgs({ name: 'u', expires: -1 }), state()))).toEqual(["useradd -e '' -m u"]);
  });

  test('supplementary groups must exist; the home parent is made first', () => {
    expect(planUser(userArgs({ name: 'u', groups: ['a', 'b'] }), state({ groups: { a: grp('a', 1) } }))).toEqual({ kind: 'fail', msg: 'Group b does not exist' });
    expect(planUser(userArgs({ name: 'u', group: 'nope' }), state())).toEqual({ kind: 'fail', msg: 'Group nope does not exist' });
    expect(runs(planUser(userArgs({ name: 'u', groups: 'a, b' }), state({ groups: { a: grp('a', 1), b: grp('b', 2) } })))).toEqual(['useradd -G a,b -m u']);
    expect(runs(planUser(userArgs({ name: 'u', home: '/srv/new/u' }), state({ wantedHomeParentExists: false })))).toEqual(['mkdir -p -- /srv/new', 'useradd -d /srv/new/u -m u']);
  });

  test('generate_ssh_key adds a key step with ssh-keygen after useradd, comment from the host name', () => {
    const p = planUser(userArgs({ name: 'u', generate_ssh_key: true, ssh_key_type: 'ed25519' }), state());
    const r = runs(p);
    expect(r[0]).toBe('useradd -m u');
    expect(r[1]).toContain("ssh-keygen -t ed25519 -C 'ansible-generated on mail1' -f \"$f\"");
    expect(r[1]).toContain('f="$h"/.ssh/id_ed25519');
  });
});

describe('changing a user', () => {
  const st = (o: Partial<UserState> = {}) => state({ user: vmail, groups: { vmail: grp('vmail', 5000) }, passwordHash: HASH, ...o });

  test('nothing to change: ok with the account values', () => {
    const p = planUser(userArgs({ name: 'vmail', uid: 5000, group: 'vmail', home: '/var/vmail', shell: '/usr/sbin/nologin', password: HASH }), st({ wantedHomeExists: true }));
    expect(p).toMatchObject({ kind: 'ok', data: { name: 'vmail', uid: 5000, group: 5000, home: '/var/vmail', shell: '/usr/sbin/nologin', comment: 'Virtual Mail', append: false, move_home: false } });
  });

  test('one usermod with what differs, in Ansible order', () => {
    const p = planUser(
      userArgs({ name: 'vmail', uid: 5001, shell: '/bin/sh', comment: 'Mail', home: '/srv/vmail', move_home: true, group: 'mail' }),
      st({ groups: { vmail: grp('vmail', 5000), mail: grp('mail', 8) }, wantedHomeExists: false }),
    );
    expect(runs(p)).toEqual(['usermod -u 5001 -g 8 -c Mail -d /srv/vmail -m -s /bin/sh vmail']);
    expect(p.kind === 'change' && p.diff?.[0]).toMatchObject({ target: 'user vmail' });
    expect(p.kind === 'change' && (p.diff![0] as { after: string }).after).toContain('uid: 5001\n');
  });

  test('groups: exact list, append, and an empty list', () => {
    const g = { vmail: grp('vmail', 5000), a: grp('a', 1), b: grp('b', 2) };
    expect(runs(planUser(userArgs({ name: 'vmail', groups: ['a', 'b'] }), st({ groups: g, memberOf: ['a'] })))).toEqual(['usermod -G a,b vmail']);
    expect(runs(planUser(userArgs({ name: 'vmail', groups: ['b'], append: true }), st({ groups: g, memberOf: ['a'] })))).toEqual(['usermod -a -G b vmail']);
    expect(planUser(userArgs({ name: 'vmail', groups: ['a'], append: true }), st({ groups: g, memberOf: ['a', 'b'] })).kind).toBe('ok');
    expect(planUser(userArgs({ name: 'vmail', groups: ['a', 'b'] }), st({ groups: g, memberOf: ['b', 'a'] })).kind).toBe('ok');
    expect(runs(planUser(userArgs({ name: 'vmail', groups: [] }), st({ groups: g, memberOf: ['a'] })))).toEqual(["usermod -G '' vmail"]);
    expect(planUser(userArgs({ name: 'vmail', groups: '' }), st({ groups: g, memberOf: [] })).kind).toBe('ok');
  });

  test('password: compared without lock marks; on_create never changes it; lock and unlock', () => {
    const other = '$6$other$' + 'x'.repeat(86);
    expect(runs(planUser(userArgs({ name: 'vmail', password: other }), st()))).toEqual(['chpasswd -e']);
    expect(planUser(userArgs({ name: 'vmail', password: other, update_password: 'on_create' }), st()).kind).toBe('ok');
    expect(planUser(userArgs({ name: 'vmail', password: HASH }), st({ passwordHash: `!${HASH}` })).kind).toBe('ok');
    expect(runs(planUser(userArgs({ name: 'vmail', password_lock: true }), st()))).toEqual(['usermod -L vmail']);
    expect(runs(planUser(userArgs({ name: 'vmail', password_lock: false }), st({ passwordHash: `!${HASH}` })))).toEqual(['usermod -U vmail']);
    expect(planUser(userArgs({ name: 'vmail', password_lock: true }), st({ passwordHash: `!${HASH}` })).kind).toBe('ok');
    // A new hash for a locked account: written with '!', no -L.
    const p = planUser(userArgs({ name: 'vmail', password: other, password_lock: true }), st());
    expect(runs(p)).toEqual(['chpasswd -e']);
    expect(stdins(p)).toEqual([`vmail:!${other}\n`]);
  });

  test('expires: set, unchanged on the same day, removed', () => {
    expect(runs(planUser(userArgs({ name: 'vmail', expires: 1767225600 }), st()))).toEqual(['usermod -e 2026-01-01 vmail']);
    expect(planUser(userArgs({ name: 'vmail', expires: 1767225600 + 3600 }), st({ expires: 20454 })).kind).toBe('ok');
    expect(runs(planUser(userArgs({ name: 'vmail', expires: -1 }), st({ expires: 20454 })))).toEqual(["usermod -e '' vmail"]);
    expect(planUser(userArgs({ name: 'vmail', expires: -1 }), st()).kind).toBe('ok');
  });

  test('a missing home is made from the skeleton with the login.defs mode and given to the user', () => {
    const p = planUser(userArgs({ name: 'vmail' }), st({ currentHomeExists: false, loginDefsUmask: 0o022 }));
    const [script] = runs(p);
    expect(script).toContain('cp -a -- /etc/skel "$h"');
    expect(script).toContain('chmod 0755 -- "$h"');
    expect(script).toContain('chown -R -- vmail: "$h"');
    expect(planUser(userArgs({ name: 'vmail', create_home: false }), st({ currentHomeExists: false })).kind).toBe('ok');
  });

  test('ssh key: an existing key is kept (ok, its fingerprint returned); force regenerates; a missing one is made', () => {
    const key = { path: '/var/vmail/.ssh/id_rsa', privExists: true, pubExists: true, publicKey: 'ssh-rsa AAA c', fingerprintRc: 0, fingerprint: '3072 SHA256:abc c (RSA)\n' };
    const a = userArgs({ name: 'vmail', generate_ssh_key: true });
    expect(planUser(a, st({ key }))).toMatchObject({ kind: 'ok', data: { ssh_fingerprint: '3072 SHA256:abc c (RSA)', ssh_public_key: 'ssh-rsa AAA c', ssh_key_file: '/var/vmail/.ssh/id_rsa' } });
    expect(userWarnings(a, st({ key }))).toEqual(['Found existing ssh key private file "/var/vmail/.ssh/id_rsa", no force, so skipping ssh-keygen generation']);
    expect(runs(planUser(userArgs({ name: 'vmail', generate_ssh_key: true, force: true }), st({ key })))[0]).toContain('rm -f -- "$f" "$f.pub"');
    const none = { ...key, privExists: false, pubExists: false, publicKey: undefined, fingerprintRc: 1, fingerprint: '' };
    expect(runs(planUser(a, st({ key: none })))[0]).toContain('ssh-keygen -t rsa -C');
    expect(runs(planUser(userArgs({ name: 'vmail', generate_ssh_key: true, ssh_key_bits: 4096, ssh_key_comment: 'me' }), st({ key: none })))[0]).toContain("ssh-keygen -t rsa -b 4096 -C me");
  });
});

describe('removing a user', () => {
  test('userdel with -f and -r as asked; absent already is ok', () => {
    const p = planUser(userArgs({ name: 'vmail', state: 'absent', remove: true, force: true }), state({ user: vmail }));
    expect(runs(p)).toEqual(['userdel -f -r vmail']);
    expect(p).toMatchObject({ data: { name: 'vmail', state: 'absent', force: true, remove: true } });
    expect(planUser(userArgs({ name: 'vmail', state: 'absent' }), state())).toMatchObject({ kind: 'ok', data: { name: 'vmail', state: 'absent' } });
  });
});

describe('probe', () => {
  test('parses passwd, shadow, memberships, groups, login.defs, home and key sections', () => {
    const spec = userProbeSpec(userArgs({ name: 'vmail', groups: ['mail'], home: '/var/vmail', generate_ssh_key: true }));
    expect(spec.groupQueries).toEqual(['mail', 'vmail']);
    const S = (n: string, body: string) => `\x1esams:${n}\n${body}\n`;
    const out =
      S('host', 'mail1\n') +
      S('passwd', 'vmail:x:5000:5000:Virtual Mail:/var/vmail:/usr/sbin/nologin\n') +
      S('shadow', `vmail:${HASH}:20000:0:99999:7::20454:\n`) +
      S('curhome', '') +
      S('member', 'mail\n') +
      S('group:mail', 'mail:x:8:vmail\n') +
      S('group:vmail', '') +
      S('umask', '022\n') +
      S('wanthome', 'exists\nparent\n') +
      S('skel', '') +
      S('keypath', '/var/vmail/.ssh/id_rsa\n') +
      S('key', 'priv\npub\n') +
      S('pubkey', 'ssh-rsa AAA c\n') +
      S('fingerprint', '0\n3072 SHA256:abc c (RSA)');
    expect(parseUserProbe(out, spec)).toEqual({
      hostname: 'mail1',
      user: vmail,
      passwordHash: HASH,
      expires: 20454,
      memberOf: ['mail'],
      groups: { mail: { name: 'mail', gid: 8, members: ['vmail'] }, vmail: null },
      loginDefsUmask: 0o022,
      currentHomeExists: true,
      wantedHomeExists: true,
      wantedHomeParentExists: true,
      skeletonExists: true,
      key: { path: '/var/vmail/.ssh/id_rsa', privExists: true, pubExists: true, publicKey: 'ssh-rsa AAA c', fingerprintRc: 0, fingerprint: '3072 SHA256:abc c (RSA)' },
    });
  });

  test('the script quotes the names it is given', () => {
    const text = userProbeScript({ name: "o'brien", groupQueries: ['a b'] }).text;
    expect(text).toContain(`n='o'\\''brien'`);
    expect(text).toContain("getent group -- 'a b'");
  });
});

describe('arguments', () => {
  test.each([
    [{}, 'missing required argument: name'],
    [{ name: 'a', user: 'a' }, 'give name or its alias user, not both'],
    [{ name: 'a', uid: 'x' }, "argument 'uid'"],
    [{ name: 'a', update_password: 'sometimes' }, 'must be one of'],
    [{ name: 'a', non_unique: true }, 'non_unique needs uid'],
    [{ name: 'a', login_class: 'x' }, "unknown argument 'login_class'"],
  ])('%j is rejected', (raw, msg) => {
    expect(argError(userModule, raw)).toContain(msg);
  });

  test('user is an alias of name', () => {
    expect(runs(planUser(userArgs({ user: 'bob' }), state()))).toEqual(['useradd -m bob']);
  });

  test.each([
    [HASH, false],
    ['$1$salt$' + 'a'.repeat(22), false],
    ['*', false],
    ['!', false],
    ['plaintext', true],
    ['$6$salt$short', true],
    ['$6$salt$' + 'a'.repeat(85) + '!', true],
  ])('password %s looks unhashed: %s', (pw, want) => {
    expect(passwordLooksUnhashed(pw)).toBe(want);
  });
});

describe('check mode', () => {
  test('a new user is predicted even when its groups do not exist yet (an earlier task may make them), as Ansible does', () => {
    const a = userArgs({ name: 'u', group: 'g', groups: ['h'] });
    expect(planUser(a, state(), { check: true }).kind).toBe('change');
    expect(planUser(a, state(), { check: false })).toEqual({ kind: 'fail', msg: 'Group g does not exist' });
  });
});
