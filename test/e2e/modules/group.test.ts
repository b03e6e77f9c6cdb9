// group end to end on this machine's group database (the test hosts are loopback sshd servers):
// throwaway group names and free gids, compared with ansible-playbook; removed afterwards.

import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { ansiblePlay, play, publicKeys, useProject, type Json } from './core-helpers.js';

const p = useProject(2, 'group');
const tag = randomBytes(3).toString('hex');
const names = { h1: `samstest_${tag}s`, h2: `samstest_${tag}a` };
const sysNames = { h1: `samstest_${tag}rs`, h2: `samstest_${tag}ra` };

/** getent group NAME, or undefined. */
function getent(name: string): { gid: number } | undefined {
  const r = spawnSync('getent', ['group', name], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return { gid: Number(r.stdout.split(':')[2]) };
}

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

const [gidS, gidA, gidS2, gidA2] = freeIds(5100, 5900, 4);

afterAll(() => {
  for (const n of [...Object.values(names), ...Object.values(sysNames)]) spawnSync('groupdel', [n]);
});

function playbook(host: 'h1' | 'h2', tasks: string, gid: number): string {
  return `- hosts: ${host}\n  gather_facts: false\n  vars:\n    g: ${names[host]}\n    gs: ${sysNames[host]}\n    gid: ${gid}\n  tasks:\n${tasks}`;
}

const CREATE = `
    - name: vmail group
      group: { name: "{{ g }}", gid: "{{ gid }}" }
      register: r
    - debug: var=r
    - name: system group
      group: { name: "{{ gs }}", system: true }
      register: rs
    - debug: var=rs
`;

/** A registered result with this side's names and ids replaced, for comparison. */
function norm(v: unknown, host: 'h1' | 'h2', ids: number[]): unknown {
  if (typeof v === 'number') return ids.includes(v) ? `ID${ids.indexOf(v)}` : v;
  if (typeof v === 'string') return v.split(sysNames[host]).join('SYSNAME').split(names[host]).join('NAME');
  if (Array.isArray(v)) return v.map((x) => norm(x, host, ids));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x, host, ids)]));
  return v;
}

describe('group', { timeout: 240_000 }, () => {
  test('--check predicts the creation and creates nothing', async () => {
    const s = await play(p, playbook('h1', CREATE, gidS!), ['--check', '--diff']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.result('vmail group')).toMatchObject({ status: 'changed', check_only: true, diff: [{ target: `group ${names.h1}`, before: '', after: `name: ${names.h1}\ngid: ${gidS}\n` }] });
    expect(s.result('system group')).toMatchObject({ status: 'changed' });
    expect(getent(names.h1)).toBeUndefined();
    expect(getent(sysNames.h1)).toBeUndefined();
  });

  test('first run creates the groups; results as ansible-playbook registers them; second run ok', async () => {
    const [s, a] = await Promise.all([play(p, playbook('h1', CREATE, gidS!)), ansiblePlay(p, playbook('h2', CREATE, gidA!))]);
    expect(s.code, s.stderr).toBe(0);
    expect(getent(names.h1)).toEqual({ gid: gidS });
    expect(getent(names.h2)).toEqual({ gid: gidA });
    const sys = getent(sysNames.h1)!.gid;
    expect(sys).toBeLessThan(1000);
    const r = s.shown('r') as Json;
    const ra = a.shown('r', 'h2') as Json;
    expect(publicKeys(r)).toEqual(publicKeys(ra));
    expect(norm(r, 'h1', [gidS!])).toEqual(norm({ ...ra }, 'h2', [gidA!]));
    const rs = s.shown('rs') as Json;
    expect(rs).toMatchObject({ changed: true, gid: sys, system: true, name: sysNames.h1, state: 'present' });
    expect(publicKeys(rs)).toEqual(publicKeys(a.shown('rs', 'h2')));

    const again = await play(p, playbook('h1', CREATE, gidS!));
    expect(again.recap().h1).toMatchObject({ changed: 0, failed: 0 });
    expect(again.shown('r')).toMatchObject({ changed: false, gid: gidS });
  });

  test('a new gid renumbers the group (groupmod), as ansible-playbook does', async () => {
    const task = '    - name: renumber\n      group: { name: "{{ g }}", gid: "{{ gid }}" }\n      register: r\n    - debug: var=r\n';
    const check = await play(p, playbook('h1', task, gidS2!), ['--check', '--diff']);
    expect(check.result('renumber')).toMatchObject({ status: 'changed', diff: [{ before: `name: ${names.h1}\ngid: ${gidS}\n`, after: `name: ${names.h1}\ngid: ${gidS2}\n` }] });
    expect(getent(names.h1)).toEqual({ gid: gidS });
    const [s, a] = await Promise.all([play(p, playbook('h1', task, gidS2!)), ansiblePlay(p, playbook('h2', task, gidA2!))]);
    expect(getent(names.h1)).toEqual({ gid: gidS2 });
    expect(norm(s.shown('r'), 'h1', [gidS2!])).toEqual(norm(a.shown('r', 'h2'), 'h2', [gidA2!]));
  });

  test('a gid taken by another group fails in --check and in the run, as groupmod does', async () => {
    const task = '    - name: clash\n      group: { name: "{{ g }}", gid: "{{ gid }}" }\n';
    const sys = getent(sysNames.h1)!.gid;
    const check = await play(p, playbook('h1', task, sys), ['--check']);
    expect(check.result('clash')).toMatchObject({ status: 'failed', msg: `groupmod: GID '${sys}' already exists` });
    const a = await ansiblePlay(p, playbook('h2', task, getent(sysNames.h2)!.gid));
    expect(String(a.result('clash', 'h2').msg).trim()).toBe(`groupmod: GID '${getent(sysNames.h2)!.gid}' already exists`);
    expect(getent(names.h1)).toEqual({ gid: gidS2 });
  });

  test('state absent removes the group; a second run is ok', async () => {
    const task = '    - name: drop\n      group: { name: "{{ g }}", state: absent }\n      register: r\n    - debug: var=r\n';
    const [s, a] = await Promise.all([play(p, playbook('h1', task, 0)), ansiblePlay(p, playbook('h2', task, 0))]);
    expect(getent(names.h1)).toBeUndefined();
    expect(norm(s.shown('r'), 'h1', [])).toEqual(norm(a.shown('r', 'h2'), 'h2', []));
    const again = await play(p, playbook('h1', task, 0));
    expect(again.shown('r')).toEqual({ changed: false, failed: false, name: names.h1, state: 'absent' });
  });

  test('bad arguments are load-time errors at their file:line:col, exit 4', async () => {
    const yaml = ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - group: name=x non_unique=yes', '    - group:', '        name: x', '        local: yes', '    - group: name=x gid=12 members=a', ''].join('\n');
    const res = await play(p, yaml);
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:4:\d+: .*non_unique is True but all of the following are missing: gid/);
    expect(res.stderr).toMatch(/site\.yml:7:\d+: .*local: true/);
    expect(res.stderr).toMatch(/site\.yml:8:\d+: unknown argument 'members' for module 'group'/);
  });
});
