// copy with remote_src of a directory (source with and without a trailing slash, directory_mode,
// mode), run by sams on h1 and ansible-playbook on h2 from the same seed: the same modes for every
// created directory and file, the same changed counts on the first and second run, and the same
// registered result keys and values.

import { chmodSync, mkdirSync, readdirSync, lstatSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeProject, type Project } from '../../fixtures/files/e2e-kit.js';
import { ensureBuilt, recap } from '../../helpers/run-cli.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let pj: Project;

const TASKS: [string, string][] = [
  ['into a new dir/ with src/', '{ src: "{{ root }}/c/src/", dest: "{{ root }}/c/d1/", remote_src: true }'],
  ['src without slash, directory_mode', '{ src: "{{ root }}/c/src", dest: "{{ root }}/c/d2/", remote_src: true, directory_mode: "0770" }'],
  ['src/ to a new dest with mode', '{ src: "{{ root }}/c/src/", dest: "{{ root }}/c/d3", remote_src: true, mode: "0750" }'],
];

const PLAY =
  '- hosts: all\n  gather_facts: false\n  tasks:\n' +
  TASKS.map(
    ([name, args], i) =>
      `    - name: ${name}\n      copy: ${args}\n      register: r${i}\n` +
      // Every value but size (a new directory's size depends on the file system), root replaced.
      `    - name: show ${i}\n      debug: { msg: "${i} {{ r${i} | dict2items | rejectattr('key', 'equalto', 'size') | map(attribute='key') | sort | join(',') }} {{ r${i}.dest | replace(root, 'ROOT') }} {{ r${i}.mode }} {{ r${i}.state }} {{ r${i}.checksum }}" }\n`,
  ).join('');

function seed(root: string): void {
  const c = join(root, 'c');
  rmSync(c, { recursive: true, force: true });
  mkdirSync(join(c, 'src/sub/deep'), { recursive: true });
  mkdirSync(join(c, 'src/empty'));
  const files: [string, number][] = [
    ['a', 0o600],
    ['sub/b', 0o640],
    ['sub/deep/c', 0o644],
  ];
  for (const [f, m] of files) {
    writeFileSync(join(c, 'src', f), `${f}\n`);
    chmodSync(join(c, 'src', f), m);
  }
  chmodSync(join(c, 'src/sub'), 0o700);
  chmodSync(join(c, 'src/sub/deep'), 0o750);
  chmodSync(join(c, 'src/empty'), 0o711);
}

function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    for (const n of readdirSync(dir).sort()) {
      const r = rel ? `${rel}/${n}` : n;
      const st = lstatSync(join(dir, n));
      out[r] = `${st.isDirectory() ? 'dir' : 'file'} ${(st.mode & 0o7777).toString(8)}`;
      if (st.isDirectory()) walk(join(dir, n), r);
    }
  };
  walk(join(root, 'c'), '');
  return out;
}

const shown = (out: string) => [...out.matchAll(/"msg": "(\d .*)"/g)].map((m) => m[1]);

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(2);
  pj = makeProject(th, 'e2e-copy-remote');
  pj.write({ 'site.yml': PLAY });
  for (const h of th.hosts) seed(h.root);
}, 180_000);

afterAll(async () => {
  await th?.stop();
  if (pj) rmSync(pj.dir, { recursive: true, force: true });
});

describe('copy remote_src of a directory against ansible-playbook', () => {
  test('first run: the same modes everywhere, the same changes and the same result keys', async () => {
    const [s, a] = await Promise.all([pj.sams('site.yml', ['--limit', 'h1']), pj.ansible('site.yml', ['--limit', 'h2'])]);
    expect(a.code, a.stdout).toBe(0);
    expect(s.code, s.stdout + s.stderr).toBe(0);
    const ta = tree(th.host('h2').root);
    expect(ta['d2/src/sub/deep']).toBe('dir 750');
    expect(tree(th.host('h1').root)).toEqual(ta);
    expect(shown(a.stdout)).toHaveLength(TASKS.length);
    expect(shown(s.stdout)).toEqual(shown(a.stdout));
    expect(recap(s.stdout).h1).toEqual(recap(a.stdout).h2);
  }, 120_000);

  test('second run: nothing changes, the same results', async () => {
    const [s, a] = await Promise.all([pj.sams('site.yml', ['--limit', 'h1']), pj.ansible('site.yml', ['--limit', 'h2'])]);
    expect(recap(a.stdout).h2!.changed).toBe(0);
    expect(recap(s.stdout).h1).toEqual(recap(a.stdout).h2);
    expect(shown(s.stdout)).toEqual(shown(a.stdout));
    expect(tree(th.host('h1').root)).toEqual(tree(th.host('h2').root));
  }, 120_000);
});
