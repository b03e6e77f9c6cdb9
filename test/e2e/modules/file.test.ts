// file over a real sshd host: directories with parents, attributes, links, hard links, touch with
// times, recursion, absent; check mode predicts exactly and changes nothing, --diff, idempotence,
// load-time argument errors, and Ansible's failure messages compared with ansible-playbook.

import { chmodSync, lstatSync, mkdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeProject, result, snapshot, statuses, type Project } from '../../fixtures/files/e2e-kit.js';
import { ensureBuilt, recap } from '../../helpers/run-cli.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let pj: Project;
let root: string;
const DAEMON_UID = 1;
const DAEMON_GID = 1;

const PLAY = `- hosts: h1
  gather_facts: false
  tasks:
    - name: nested directory
      file: { path: "{{ root }}/a/b/c", state: directory, mode: "0700" }
    - name: existing file attrs
      file: { path: "{{ root }}/existing.txt", mode: "0644", group: daemon }
    - name: symlink
      file: { src: existing.txt, dest: "{{ root }}/link", state: link }
    - name: hard link
      file: { src: "{{ root }}/existing.txt", dest: "{{ root }}/hard", state: hard }
    - name: touch with a time
      file: { path: "{{ root }}/stamp", state: touch, modification_time: "202001020304.05", access_time: preserve }
    - name: recurse
      file: { path: "{{ root }}/tree", state: directory, recurse: true, owner: daemon, mode: "u=rwX,g=rX,o=" }
    - name: absent
      file: { path: "{{ root }}/olddir", state: absent }
    - name: already absent
      file: { path: "{{ root }}/never-there", state: absent }
`;

function seed(): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'tree/sub'), { recursive: true });
  mkdirSync(join(root, 'olddir/inner'), { recursive: true });
  writeFileSync(join(root, 'existing.txt'), 'existing\n', { mode: 0o600 });
  chmodSync(join(root, 'existing.txt'), 0o600);
  writeFileSync(join(root, 'tree/run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(join(root, 'tree/sub/data'), 'data\n', { mode: 0o666 });
  chmodSync(join(root, 'tree/sub/data'), 0o666);
  writeFileSync(join(root, 'olddir/inner/f'), 'x');
}

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(2);
  pj = makeProject(th, 'e2e-file');
  root = th.host('h1').root;
  pj.write({ 'site.yml': PLAY });
  seed();
}, 180_000);

afterAll(async () => {
  await th?.stop();
  if (pj) rmSync(pj.dir, { recursive: true, force: true });
});

describe('file on a real host', () => {
  let predicted: Record<string, string>;

  test('--check predicts the changes and leaves every file, mode and owner as it was', async () => {
    const before = snapshot(root);
    const r = await pj.sams('site.yml', ['--check', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(snapshot(root)).toEqual(before);
    predicted = statuses(r);
    expect(predicted).toEqual({
      'nested directory': 'changed',
      'existing file attrs': 'changed',
      symlink: 'changed',
      'hard link': 'changed',
      'touch with a time': 'changed',
      recurse: 'changed',
      absent: 'changed',
      'already absent': 'ok',
    });
  });

  test('the first run makes exactly the predicted changes', async () => {
    const r = await pj.sams('site.yml', ['--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(statuses(r)).toEqual(predicted);
    for (const d of ['a', 'a/b', 'a/b/c']) expect(statSync(join(root, d)).mode & 0o7777).toBe(0o700);
    const ex = statSync(join(root, 'existing.txt'));
    expect([ex.mode & 0o7777, ex.gid, ex.nlink]).toEqual([0o644, DAEMON_GID, 2]);
    expect(readlinkSync(join(root, 'link'))).toBe('existing.txt');
    expect(statSync(join(root, 'hard')).ino).toBe(ex.ino);
    expect(statSync(join(root, 'stamp')).mtimeMs).toBe(new Date(2020, 0, 2, 3, 4, 5).getTime());
    expect(statSync(join(root, 'tree')).mode & 0o7777).toBe(0o750);
    expect(statSync(join(root, 'tree/run.sh')).mode & 0o7777).toBe(0o750);
    expect(statSync(join(root, 'tree/sub/data')).mode & 0o7777).toBe(0o640);
    expect(statSync(join(root, 'tree/sub/data')).uid).toBe(DAEMON_UID);
    expect(() => lstatSync(join(root, 'olddir'))).toThrow();
    // Ansible's return values.
    expect(result(r, 'existing file attrs').data).toMatchObject({ path: join(root, 'existing.txt'), mode: '0644', group: 'daemon', gid: DAEMON_GID, state: 'file', size: 9 });
    expect(result(r, 'symlink').data).toMatchObject({ dest: join(root, 'link'), src: 'existing.txt', state: 'link', mode: '0777' });
    expect(result(r, 'nested directory').data).toMatchObject({ path: join(root, 'a/b/c'), mode: '0700', state: 'directory', owner: 'root' });
  });

  test('a second run is ok everywhere and changes nothing', async () => {
    const before = snapshot(root);
    const r = await pj.sams('site.yml');
    expect(r.code).toBe(0);
    expect(recap(r.stdout).h1).toMatchObject({ ok: 8, changed: 0 });
    expect(snapshot(root)).toEqual(before);
  });

  test('--check --diff shows the attribute diff as Ansible does (JSON before/after)', async () => {
    chmodSync(join(root, 'existing.txt'), 0o600);
    const r = await pj.sams('site.yml', ['--check', '--diff', '--json']);
    const d = result(r, 'existing file attrs').diff![0]!;
    expect(d.before).toBe(`{\n    "mode": "0600",\n    "path": "${join(root, 'existing.txt')}"\n}\n`);
    expect(d.after).toBe(`{\n    "mode": "0644",\n    "path": "${join(root, 'existing.txt')}"\n}\n`);
    const text = await pj.sams('site.yml', ['--check', '--diff']);
    expect(text.stdout).toContain('-    "mode": "0600",\n+    "mode": "0644",');
    chmodSync(join(root, 'existing.txt'), 0o644);
  });

  test('touch without times changes every time, as in Ansible', async () => {
    pj.write({ 'touch.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: touch\n      file: { path: "{{ root }}/touched", state: touch }\n' });
    for (let i = 0; i < 2; i++) expect(result(await pj.sams('touch.yml', ['--json']), 'touch').status).toBe('changed');
  });

  test('an owner that does not exist fails before anything is changed', async () => {
    pj.write({ 'nouser.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: bad owner\n      file: { path: "{{ root }}/nu", state: directory, owner: no-such-user-x }\n' });
    const r = await pj.sams('nouser.yml', ['--json']);
    expect(r.code).toBe(2);
    expect(result(r, 'bad owner').msg).toBe('chown failed: failed to look up user no-such-user-x');
    expect(() => lstatSync(join(root, 'nu'))).toThrow();
  });

  test('bad arguments are rejected at load time with file:line:col', async () => {
    pj.write({ 'bad.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - file:\n        path: /tmp/x\n        state: sideways\n    - file:\n        path: /tmp/x\n        attributes: +i\n' });
    const r = await pj.sams('bad.yml');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/bad\.yml:6:16: module 'file': argument 'state': must be one of/);
    expect(r.stderr).toMatch(/bad\.yml:9:9: unknown argument 'attributes' for module 'file'/);
  });
});

describe('file failures match ansible-playbook', () => {
  test('the same messages for impossible requests', async () => {
    const tasks = [
      ['state file on a missing path', '{ path: "{{ root }}/missing", state: file }'],
      ['link over a file without force', '{ src: x, dest: "{{ root }}/plain", state: link }'],
      ['link to a missing source', '{ src: "{{ root }}/nope", dest: "{{ root }}/l2", state: link }'],
      ['hard link to a missing source', '{ src: "{{ root }}/nope", dest: "{{ root }}/h2", state: hard }'],
      ['directory over a file', '{ path: "{{ root }}/plain", state: directory }'],
      ['hard link over a file without force', '{ src: "{{ root }}/other", dest: "{{ root }}/plain", state: hard }'],
    ];
    const play =
      '- hosts: all\n  gather_facts: false\n  tasks:\n' +
      tasks
        .map(([name, args], i) => `    - name: ${name}\n      file: ${args}\n      register: r${i}\n      ignore_errors: true\n    - name: msg ${i}\n      debug: { msg: "{{ r${i}.msg | replace(root, 'ROOT') }}" }\n`)
        .join('');
    pj.write({ 'fails.yml': play });
    for (const h of th.hosts) {
      writeFileSync(join(h.root, 'plain'), 'plain\n');
      writeFileSync(join(h.root, 'other'), 'other\n');
    }
    const [s, a] = await Promise.all([pj.sams('fails.yml', ['--limit', 'h1']), pj.ansible('fails.yml', ['--limit', 'h2'])]);
    // The debug tasks' messages (failures print their msg too, on one line).
    const msgs = (out: string) => [...out.matchAll(/ok: \[\w+\] => \{\n\s+"msg": "(.*)"/g)].map((m) => m[1]);
    expect(msgs(a.stdout)).toHaveLength(tasks.length);
    expect(msgs(s.stdout)).toEqual(msgs(a.stdout));
    expect(recap(s.stdout).h1).toEqual(recap(a.stdout).h2);
  }, 120_000);
});
