// The registered result's top-level keys, module by module (file, copy, template, lineinfile,
// blockinfile, replace, cron, stat, find, user, group, apt; changed and unchanged), compared with
// ansible-playbook's on the same kind of host, without and with --diff. Known gaps are listed in
// GAPS, so a gap that closes (or a new one) fails the test.

import { rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeProject, type Project } from '../../fixtures/files/e2e-kit.js';
import { ensureBuilt } from '../../helpers/run-cli.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let pj: Project;

const TASKS: [string, string][] = [
  ['file', 'file: { path: "{{ d }}", state: directory }'],
  ['file_ok', 'file: { path: "{{ d }}", state: directory }'],
  ['copy', 'copy: { content: "a\\n", dest: "{{ d }}/c" }'],
  ['copy_ok', 'copy: { content: "a\\n", dest: "{{ d }}/c" }'],
  ['template', 'template: { src: t.j2, dest: "{{ d }}/t" }'],
  ['template_ok', 'template: { src: t.j2, dest: "{{ d }}/t" }'],
  ['lineinfile', 'lineinfile: { path: "{{ d }}/c", line: b }'],
  ['lineinfile_ok', 'lineinfile: { path: "{{ d }}/c", line: b }'],
  ['blockinfile', 'blockinfile: { path: "{{ d }}/c", block: z }'],
  ['blockinfile_ok', 'blockinfile: { path: "{{ d }}/c", block: z }'],
  ['replace', 'replace: { path: "{{ d }}/c", regexp: "^a$", replace: A }'],
  ['replace_ok', 'replace: { path: "{{ d }}/c", regexp: "^a$", replace: A }'],
  ['cron', 'cron: { name: samskeys, job: "true", cron_file: "samskeys-{{ inventory_hostname }}-{{ tag }}", user: root }'],
  ['cron_ok', 'cron: { name: samskeys, job: "true", cron_file: "samskeys-{{ inventory_hostname }}-{{ tag }}", user: root }'],
  ['cron_absent', 'cron: { name: samskeys, cron_file: "samskeys-{{ inventory_hostname }}-{{ tag }}", state: absent }'],
  ['stat', 'stat: { path: "{{ d }}/c" }'],
  ['stat_missing', 'stat: { path: "{{ d }}/nope" }'],
  ['find', 'find: { paths: "{{ d }}" }'],
  ['group', 'group: { name: "sk{{ inventory_hostname }}{{ tag }}" }'],
  ['group_ok', 'group: { name: "sk{{ inventory_hostname }}{{ tag }}" }'],
  ['user', 'user: { name: "sk{{ inventory_hostname }}{{ tag }}", create_home: false }'],
  ['user_ok', 'user: { name: "sk{{ inventory_hostname }}{{ tag }}", create_home: false }'],
  ['user_absent', 'user: { name: "sk{{ inventory_hostname }}{{ tag }}", state: absent }'],
  ['group_absent', 'group: { name: "sk{{ inventory_hostname }}{{ tag }}", state: absent }'],
  ['apt', 'apt: { name: bash, state: present }'],
  ['file_absent', 'file: { path: "{{ d }}", state: absent }'],
];

const PLAY =
  '- hosts: all\n  gather_facts: false\n  vars: { d: "{{ root }}/keys" }\n  tasks:\n' +
  TASKS.map(([n, t]) => `    - name: ${n}\n      ${t}\n      register: r_${n}\n`).join('') +
  `    - name: keys\n      debug:\n        msg: "{% for n in ${JSON.stringify(TASKS.map(([n]) => n)).replace(/"/g, "'")} %}{{ n }}={{ lookup('vars', 'r_' + n).keys() | sort | join(',') }};{% endfor %}"\n`;

/**
 * Keys Ansible registers that sams does not (per task, and with --diff or not). Why, each:
 * - size of a directory file creates: it depends on the file system; sams does not stat again after
 *   creating it.
 * - src of copy with content: Ansible's is the path of its own temporary upload on the target.
 * (The `diff` values themselves are compared in registered-diff-vs-ansible.test.ts.)
 */
const ONLY_ANSIBLE: Record<string, string[]> = {
  file: ['size'],
  copy: ['src'],
};
/** With --diff; sams also shows user/group changes as a diff (Ansible's modules have none). */
const ONLY_ANSIBLE_DIFF: Record<string, string[]> = {
  file: ['size'],
  copy: ['src'],
};
/**
 * Keys Ansible may have, depending on the host, that sams never registers: user's stdout/stderr of
 * useradd/userdel when they print something, and the `warnings` list of Ansible's first module run
 * that created its remote_tmp on the host (sams keeps no remote_tmp).
 */
const MAY_ONLY_ANSIBLE: Record<string, string[]> = { lineinfile: ['warnings'], user: ['stdout', 'stdout_lines', 'stderr', 'stderr_lines'], user_absent: ['stdout', 'stdout_lines', 'stderr', 'stderr_lines'] };
const ONLY_SAMS_DIFF: Record<string, string[]> = { group: ['diff'], user: ['diff'], user_absent: ['diff'], group_absent: ['diff'] };

function keys(out: string): Record<string, string[]> {
  const m = /"msg": "((?:\w+=[\w,]*;)+)"/.exec(out);
  if (!m) throw new Error(`no key listing in:\n${out}`);
  return Object.fromEntries(
    m[1]!
      .split(';')
      .filter(Boolean)
      .map((e) => {
        const [n, ks] = e.split('=');
        return [n!, ks!.split(',').filter(Boolean)];
      }),
  );
}

function cleanup(): void {
  for (const h of th?.hosts ?? []) {
    for (const tag of ['p', 'd']) {
      const f = `/etc/cron.d/samskeys-${h.name}-${tag}`;
      if (existsSync(f)) rmSync(f);
      spawnSync('userdel', [`sk${h.name}${tag}`], { stdio: 'ignore' });
      spawnSync('groupdel', [`sk${h.name}${tag}`], { stdio: 'ignore' });
    }
  }
}

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(2);
  pj = makeProject(th, 'e2e-result-keys');
  pj.write({ 'site.yml': PLAY, 'templates/t.j2': 'x={{ 1 }}\n' });
  cleanup();
}, 180_000);

afterAll(async () => {
  cleanup();
  await th?.stop();
  if (pj) rmSync(pj.dir, { recursive: true, force: true });
});

describe.each([
  ['without --diff', [] as string[], 'p', ONLY_ANSIBLE, {} as Record<string, string[]>],
  ['with --diff', ['--diff'], 'd', ONLY_ANSIBLE_DIFF, ONLY_SAMS_DIFF],
])('registered result keys %s', (_label, args, tag, onlyAnsible, onlySams) => {
  test('are Ansible’s for every module, but for the listed gaps', async () => {
    for (const h of th.hosts) writeFileSync(join(h.root, 'unused'), '');
    // One after the other: both runs use apt and user databases of this one machine.
    const s = await pj.sams('site.yml', ['--limit', 'h1', '-e', `tag=${tag}`, ...args]);
    const a = await pj.ansible('site.yml', ['--limit', 'h2', '-e', `tag=${tag}`, ...args]);
    expect(a.code, a.stdout).toBe(0);
    expect(s.code, s.stdout + s.stderr).toBe(0);
    const ka = keys(a.stdout);
    const ks = keys(s.stdout);
    expect(Object.keys(ks)).toEqual(TASKS.map(([n]) => n));
    for (const [n] of TASKS) {
      const want = ka[n]!.filter((k) => !(onlyAnsible[n] ?? []).includes(k) && !(MAY_ONLY_ANSIBLE[n] ?? []).includes(k));
      const got = ks[n]!.filter((k) => !(onlySams[n] ?? []).includes(k));
      expect(got, n).toEqual(want);
      // Each listed gap is real: Ansible has the key and sams does not (or the reverse).
      for (const k of onlyAnsible[n] ?? []) expect([n, k, ka[n]!.includes(k), ks[n]!.includes(k)]).toEqual([n, k, true, false]);
      for (const k of onlySams[n] ?? []) expect([n, k, ka[n]!.includes(k), ks[n]!.includes(k)]).toEqual([n, k, false, true]);
    }
  }, 300_000);
});
