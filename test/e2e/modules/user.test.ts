// user end to end on this machine's account database (the test hosts are loopback sshd servers):
// our users' vmail (uid 5000-like, own group) and postgres (system uid < 1000, password, ssh key)
// shapes with throwaway names and free ids, compared with ansible-playbook; removed afterwards.

import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ansiblePlay, play, publicKeys, useProject, type Json } from './core-helpers.js';

const p = useProject(2, 'user');
const tag = randomBytes(3).toString('hex');
// openssl passwd -6 -salt saltsalt secret / other
const HASH = '$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1';
const OTHER = '$6$saltsalt$r4j7z8gOqxO9zYH/VSQ4MPgAu/GTg0.tIK5o0K3dXowoILt/JRmXmiqFa26mKioMH3Fwhg6qaU0XTibPpoJ8z.';
const G1 = `samstest_${tag}g1`;
const G2 = `samstest_${tag}g2`;

/** Ids in [min, max) that no user and no group has, from a random start (test files run in parallel). */
function freeIds(min: number, max: number, n: number): number[] {
  const taken = new Set<number>();
  for (const db of ['passwd', 'group']) {
    for (const line of execFileSync('getent', [db], { encoding: 'utf8' }).split('\n')) if (line) taken.add(Number(line.split(':')[2]));
  }
  const out: number[] = [];
  const start = randomInt(0, max - min);
  for (let i = 0; out.length < n && i < max - min; i++) {
    const id = min + ((start + i) % (max - min));
    if (!taken.has(id)) out.push(id);
  }
  return out;
}

const [vS, vA] = freeIds(5100, 5900, 2);
const [pS, pA] = freeIds(900, 990, 2);
type Side = 'h1' | 'h2';
const side = {
  h1: { vmail: `samstest_${tag}vs`, pg: `samstest_${tag}ps`, vuid: vS!, puid: pS! },
  h2: { vmail: `samstest_${tag}va`, pg: `samstest_${tag}pa`, vuid: vA!, puid: pA! },
};
const root = (h: Side) => p.th.host(h).root;
let firstKey = '';

beforeAll(() => {
  for (const g of [G1, G2]) execFileSync('groupadd', [g]);
});
afterAll(() => {
  for (const s of Object.values(side)) {
    spawnSync('userdel', ['-r', s.vmail]);
    spawnSync('userdel', ['-r', s.pg]);
    spawnSync('groupdel', [s.vmail]);
    spawnSync('groupdel', [s.pg]);
  }
  for (const g of [G1, G2]) spawnSync('groupdel', [g]);
});

function playbook(h: Side, tasks: string): string {
  const s = side[h];
  return `- hosts: ${h}\n  gather_facts: false\n  vars:\n    nv: ${s.vmail}\n    np: ${s.pg}\n    uv: ${s.vuid}\n    up: ${s.puid}\n    root: ${root(h)}\n  tasks:\n${tasks}`;
}

const CREATE = `
    - name: vmail group
      group: { name: "{{ nv }}", gid: "{{ uv }}" }
    - name: vmail user
      user: { name: "{{ nv }}", uid: "{{ uv }}", group: "{{ nv }}", home: "{{ root }}/vmail", shell: /usr/sbin/nologin, comment: Virtual Mail }
      register: rv
    - debug: var=rv
    - name: postgres user
      user:
        name: "{{ np }}"
        uid: "{{ up }}"
        system: true
        home: "{{ root }}/lib/postgresql"
        shell: /bin/bash
        comment: PostgreSQL administrator
        password: '${HASH}'
        groups: [${G1}]
        generate_ssh_key: true
        ssh_key_type: ed25519
        ssh_key_comment: pg key
      register: rp
    - debug: var=rp
`;

const MODIFY = `
    - name: vmail changes
      user: { name: "{{ nv }}", shell: /bin/sh, comment: Mail storage, groups: [${G1}, ${G2}] }
    - name: postgres changes
      user: { name: "{{ np }}", groups: [${G2}], append: true, password: '${OTHER}', update_password: on_create, password_lock: true, expires: 1893456000 }
`;

const REMOVE = `
    - name: drop vmail
      user: { name: "{{ nv }}", state: absent, remove: true }
      register: dv
    - debug: var=dv
    - name: drop postgres
      user: { name: "{{ np }}", state: absent, remove: true }
    - name: drop vmail group
      group: { name: "{{ nv }}", state: absent }
`;

interface Account {
  passwd: string[];
  shadow: string[];
  groups: string[];
}

/** The account with this side's names and ids replaced, for comparison across sides. */
function account(h: Side, which: 'vmail' | 'pg'): Account | undefined {
  const s = side[h];
  const name = s[which];
  const pw = spawnSync('getent', ['passwd', name], { encoding: 'utf8' });
  if (pw.status !== 0) return undefined;
  const sh = spawnSync('getent', ['shadow', name], { encoding: 'utf8' }).stdout.trim().split(':');
  const groups = execFileSync('id', ['-Gn', name], { encoding: 'utf8' }).trim().split(' ');
  const norm = (x: string) => x.split(s.vmail).join('VMAIL').split(s.pg).join('PG').split(root(h)).join('ROOT');
  const f = pw.stdout.trim().split(':');
  return {
    passwd: [f[0]!, f[4]!, f[5]!, f[6]!].map(norm),
    // lastchg is today on both sides; the rest must agree.
    shadow: [sh[1]!, ...sh.slice(3)],
    groups: groups.map(norm).sort(),
  };
}

/** Every path under dir with type, mode and owner (the owner named by role). */
function tree(dir: string, h: Side): string[] {
  if (!existsSync(dir)) return [];
  const s = side[h];
  const uids: Record<number, string> = { 0: 'root', [s.vuid]: 'VMAIL', [s.puid]: 'PG' };
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d).sort()) {
      const st = lstatSync(join(d, e));
      out.push(`${rel}${e} ${st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : 'f'} ${(st.mode & 0o7777).toString(8)} ${uids[st.uid] ?? st.uid}`);
      if (st.isDirectory()) walk(join(d, e), `${rel}${e}/`);
    }
  };
  const st = lstatSync(dir);
  out.push(`. d ${(st.mode & 0o7777).toString(8)} ${uids[st.uid] ?? st.uid}`);
  walk(dir, '');
  return out;
}

function normResult(v: Json, h: Side): Json {
  const s = side[h];
  const text = JSON.stringify(v, (_k, x) => (typeof x === 'number' ? (x === s.vuid ? 'VUID' : x === s.puid ? 'PUID' : x) : x));
  const out = JSON.parse(text.split(s.vmail).join('VMAIL').split(s.pg).join('PG').split(root(h)).join('ROOT')) as Json;
  // useradd/userdel warnings: Ansible returns them as stderr, sams does not.
  for (const k of ['stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'ssh_fingerprint', 'ssh_public_key', 'group']) delete out[k];
  return out;
}

describe('user', { timeout: 240_000 }, () => {
  test('--check predicts every creation and changes nothing', async () => {
    const s = await play(p, playbook('h1', CREATE), ['--check', '--diff']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.result('vmail user')).toMatchObject({ status: 'changed', check_only: true, diff: [{ target: `user ${side.h1.vmail}`, before: '' }] });
    expect(s.result('postgres user').status).toBe('changed');
    expect(JSON.stringify(s.result('postgres user'))).not.toContain(HASH);
    expect(account('h1', 'vmail')).toBeUndefined();
    expect(account('h1', 'pg')).toBeUndefined();
    expect(existsSync(join(root('h1'), 'lib'))).toBe(false);
  });

  test('first run: accounts, homes and ssh key as ansible-playbook makes them; registered results alike', async () => {
    const [s, a] = await Promise.all([play(p, playbook('h1', CREATE)), ansiblePlay(p, playbook('h2', CREATE))]);
    expect(s.code, s.stderr).toBe(0);
    expect(a.code, a.stderr).toBe(0);
    for (const which of ['vmail', 'pg'] as const) expect(account('h1', which), which).toEqual(account('h2', which));
    expect(account('h1', 'vmail')).toEqual({ passwd: ['VMAIL', 'Virtual Mail', 'ROOT/vmail', '/usr/sbin/nologin'], shadow: ['!', '0', '99999', '7', '', '', ''], groups: ['VMAIL'] });
    expect(account('h1', 'pg')!.shadow[0]).toBe(HASH);
    expect(account('h1', 'pg')!.groups).toEqual(['PG', G1].sort());
    expect(Number(execFileSync('id', ['-u', side.h1.pg], { encoding: 'utf8' }))).toBe(side.h1.puid);
    expect(Number(execFileSync('id', ['-g', side.h1.vmail], { encoding: 'utf8' }))).toBe(side.h1.vuid);
    expect(tree(join(root('h1'), 'vmail'), 'h1')).toEqual(tree(join(root('h2'), 'vmail'), 'h2'));
    const pgTree = tree(join(root('h1'), 'lib/postgresql'), 'h1');
    expect(pgTree).toEqual(tree(join(root('h2'), 'lib/postgresql'), 'h2'));
    expect(pgTree).toEqual(expect.arrayContaining(['.ssh d 700 PG', '.ssh/id_ed25519 f 600 PG', '.ssh/id_ed25519.pub f 644 PG']));
    expect(tree(join(root('h1'), 'lib'), 'h1')[0]).toBe(tree(join(root('h2'), 'lib'), 'h2')[0]);

    const [rv, rva, rp, rpa] = [s.shown('rv') as Json, a.shown('rv', 'h2') as Json, s.shown('rp') as Json, a.shown('rp', 'h2') as Json];
    const keys = (v: Json) => publicKeys(v).filter((k) => k !== 'stderr' && k !== 'stdout' && k !== 'stderr_lines' && k !== 'stdout_lines');
    expect(keys(rv)).toEqual(keys(rva));
    expect(keys(rp)).toEqual(keys(rpa));
    expect(normResult(rv, 'h1')).toEqual(normResult(rva, 'h2'));
    expect(normResult(rp, 'h1')).toEqual(normResult(rpa, 'h2'));
    expect(rp).toMatchObject({ password: 'NOT_LOGGING_PASSWORD', ssh_public_key: expect.stringMatching(/^ssh-ed25519 \S+ pg key$/), ssh_fingerprint: expect.stringMatching(/^256 SHA256:\S+ pg key \(ED25519\)$/) });
    firstKey = String(rp.ssh_public_key);
    expect(s.stdout + s.stderr).not.toContain(HASH);
    expect(rv).toMatchObject({ uid: side.h1.vuid, group: side.h1.vuid, home: `${root('h1')}/vmail`, create_home: true, system: false });
  });

  test('second run: nothing changes, as for ansible-playbook', async () => {
    const [s, a] = await Promise.all([play(p, playbook('h1', CREATE)), ansiblePlay(p, playbook('h2', CREATE))]);
    expect(s.recap().h1).toMatchObject({ changed: 0, failed: 0 });
    expect(JSON.parse(a.stdout.slice(a.stdout.indexOf('{'))).stats.h2).toMatchObject({ changed: 0, failures: 0 });
    // The key made by the first run is kept and reported again.
    expect((s.shown('rp') as Json).ssh_public_key).toBe(firstKey);
  });

  test('changes: --check --diff predicts them and changes nothing; the run matches ansible-playbook; then ok', async () => {
    const before = [account('h1', 'vmail'), account('h1', 'pg')];
    const check = await play(p, playbook('h1', MODIFY), ['--check', '--diff']);
    expect(check.result('vmail changes')).toMatchObject({ status: 'changed', check_only: true });
    const d = (check.result('vmail changes') as unknown as { diff: { before: string; after: string }[] }).diff[0]!;
    expect(d.before).toContain('shell: /usr/sbin/nologin\n');
    expect(d.after).toContain('shell: /bin/sh\n');
    expect(d.after).toContain(`groups: ${G1},${G2}\n`);
    expect(check.result('postgres changes').status).toBe('changed');
    expect([account('h1', 'vmail'), account('h1', 'pg')]).toEqual(before);

    const [s, a] = await Promise.all([play(p, playbook('h1', MODIFY)), ansiblePlay(p, playbook('h2', MODIFY))]);
    expect(s.code, s.stderr).toBe(0);
    for (const which of ['vmail', 'pg'] as const) expect(account('h1', which), which).toEqual(account('h2', which));
    expect(account('h1', 'vmail')).toMatchObject({ passwd: ['VMAIL', 'Mail storage', 'ROOT/vmail', '/bin/sh'], groups: [G1, G2, 'VMAIL'].sort() });
    // update_password: on_create keeps the hash; password_lock puts '!' before it; expires is 2030-01-01.
    expect(account('h1', 'pg')!.shadow.slice(0, 1)).toEqual([`!${HASH}`]);
    expect(account('h1', 'pg')!.shadow[5]).toBe(String(1893456000 / 86400));
    expect(account('h1', 'pg')!.groups).toEqual(['PG', G1, G2].sort());

    const again = await play(p, playbook('h1', MODIFY));
    expect(again.recap().h1).toMatchObject({ changed: 0, failed: 0 });
  });

  test('state absent with remove: the account and its home go; a second run is ok', async () => {
    const [s, a] = await Promise.all([play(p, playbook('h1', REMOVE)), ansiblePlay(p, playbook('h2', REMOVE))]);
    expect(s.code, s.stderr).toBe(0);
    expect(account('h1', 'vmail')).toBeUndefined();
    expect(account('h1', 'pg')).toBeUndefined();
    expect(existsSync(join(root('h1'), 'vmail'))).toBe(false);
    expect(existsSync(join(root('h1'), 'lib/postgresql'))).toBe(false);
    expect(normResult(s.shown('dv') as Json, 'h1')).toEqual(normResult(a.shown('dv', 'h2') as Json, 'h2'));
    const again = await play(p, playbook('h1', REMOVE));
    expect(again.recap().h1).toMatchObject({ changed: 0, failed: 0 });
  });

  test('bad arguments are load-time errors at their file:line:col, exit 4', async () => {
    const yaml = ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - user: name=x uid=abc', '    - user:', '        name: x', '        login_class: staff', ''].join('\n');
    const res = await play(p, yaml);
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:4:\d+: .*argument 'uid'/);
    expect(res.stderr).toMatch(/site\.yml:7:\d+: unknown argument 'login_class' for module 'user'/);
  });
});
