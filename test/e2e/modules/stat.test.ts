// stat over a real sshd host: the `stat` dictionary for a file, a directory, a symlink (followed
// or not), a missing path, with other checksum algorithms and without MIME data, compared key by
// key with Ansible's stat module on the same paths; read-only in every mode; load-time argument errors.

import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeProject, result, snapshot, type Project } from '../../fixtures/files/e2e-kit.js';
import { runAnsible } from '../../helpers/ansible.js';
import { ensureBuilt, recap } from '../../helpers/run-cli.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let pj: Project;
let root: string;

const CASES: [string, Record<string, unknown>][] = [
  ['file', { path: 'f.txt' }],
  ['directory', { path: 'd' }],
  ['link', { path: 'l' }],
  ['link followed, sha256', { path: 'l', follow: true, checksum_algorithm: 'sha256' }],
  ['setuid script, md5, no mime', { path: 'run.sh', checksum_algorithm: 'md5', get_mime: false }],
  ['no checksum, no attributes', { path: 'f.txt', get_checksum: false, get_attributes: false }],
  ['dangling link', { path: 'dangling' }],
  ['missing', { path: 'nope' }],
];

function withRoot(a: Record<string, unknown>): Record<string, unknown> {
  return { ...a, path: join(root, a.path as string) };
}

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(1);
  pj = makeProject(th, 'e2e-stat');
  root = th.host('h1').root;
  writeFileSync(join(root, 'f.txt'), 'hello stat\n');
  mkdirSync(join(root, 'd'));
  symlinkSync('f.txt', join(root, 'l'));
  symlinkSync('nowhere', join(root, 'dangling'));
  writeFileSync(join(root, 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(root, 'run.sh'), 0o4750);
  const tasks = CASES.map(([name, a]) => `    - name: ${name}\n      stat: ${JSON.stringify(withRoot(a))}\n`).join('');
  pj.write({ 'site.yml': `- hosts: h1\n  gather_facts: false\n  tasks:\n${tasks}` });
}, 180_000);

afterAll(async () => {
  await th?.stop();
  if (pj) rmSync(pj.dir, { recursive: true, force: true });
});

describe('stat on a real host', () => {
  test('the stat dictionary equals what the stat module of Ansible returns, for every case (atime aside)', async () => {
    const r = await pj.sams('site.yml', ['--json']);
    expect(r.code, r.stderr).toBe(0);
    // The same playbook through ansible-playbook, results as JSON.
    const an = await runAnsible('ansible-playbook', ['-i', 'inventory.ini', 'site.yml'], pj.dir, { ANSIBLE_STDOUT_CALLBACK: 'json' });
    expect(an.code, an.stdout).toBe(0);
    const tasks = JSON.parse(an.stdout.slice(an.stdout.indexOf('{'))).plays[0].tasks as { task: { name: string }; hosts: { h1: { stat: Record<string, unknown> } } }[];
    expect(tasks.map((t) => t.task.name)).toEqual(CASES.map(([n]) => n));
    for (const t of tasks) {
      const want = t.hosts.h1.stat;
      const got = result(r, t.task.name).data!.stat as Record<string, unknown>;
      // Reading the file for its checksum moves its access time between the two runs.
      delete want.atime;
      delete got.atime;
      expect(got, t.task.name).toEqual(want);
    }
  }, 180_000);

  test('stat is read-only: ok in check mode and in a real run, nothing changes', async () => {
    const before = snapshot(root);
    for (const args of [['--check'], []]) {
      const r = await pj.sams('site.yml', args);
      expect(r.code).toBe(0);
      expect(recap(r.stdout).h1).toMatchObject({ ok: CASES.length, changed: 0 });
    }
    const after = snapshot(root);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after).toEqual(before);
  });

  test('the registered result works in conditions, in check mode too', async () => {
    pj.write({
      'use.yml': `- hosts: h1\n  gather_facts: false\n  tasks:\n    - stat: { path: "${join(root, 'f.txt')}" }\n      register: st\n    - name: shown\n      debug: { msg: "{{ st.stat.size }} {{ st.stat.pw_name }} {{ st.stat.mimetype }}" }\n      when: st.stat.exists and st.stat.isreg\n`,
    });
    const r = await pj.sams('use.yml', ['--check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"msg": "11 root text/plain"');
  });

  test('bad arguments are rejected at load time with file:line:col', async () => {
    pj.write({ 'bad.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - stat:\n        path: /tmp\n        checksum_algorithm: crc32\n    - stat:\n        path: /tmp\n        get_selinux: true\n' });
    const r = await pj.sams('bad.yml');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/bad\.yml:6:29: module 'stat': argument 'checksum_algorithm': must be one of/);
    expect(r.stderr).toMatch(/bad\.yml:9:9: unknown argument 'get_selinux' for module 'stat'/);
  });
});
