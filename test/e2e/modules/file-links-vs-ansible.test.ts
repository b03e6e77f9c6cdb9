// file on existing symlinks (state=link without src, attributes through a link, touch of a dangling
// link, absent) and state=touch under --diff, run by sams on h1 and ansible-playbook on h2 from the
// same seed: the same changed/failed/messages, the same resulting trees, and the same diff keys.

import { lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeProject, type Project } from '../../fixtures/files/e2e-kit.js';
import { ensureBuilt, recap } from '../../helpers/run-cli.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let pj: Project;

const TASKS: [string, string][] = [
  ['link without src keeps the target', '{ path: "{{ root }}/l/link", state: link }'],
  ['link without src on a dangling link', '{ path: "{{ root }}/l/dangling", state: link }'],
  ['mode through a link (state from the path)', '{ path: "{{ root }}/l/link2", mode: "0640" }'],
  ['state file through a link', '{ path: "{{ root }}/l/link3", state: file, mode: "0604" }'],
  ['touch a dangling link', '{ path: "{{ root }}/l/dangling2", state: touch }'],
  ['touch a dangling link without follow', '{ path: "{{ root }}/l/dangling3", state: touch, follow: false }'],
  ['touch through a link', '{ path: "{{ root }}/l/link4", state: touch, mode: "0600" }'],
  ['touch a new file with a mode', '{ path: "{{ root }}/l/new", state: touch, mode: "0640" }'],
  ['touch an existing file', '{ path: "{{ root }}/l/g", state: touch }'],
  ['absent on a link', '{ path: "{{ root }}/l/link5", state: absent }'],
];

const PLAY =
  '- hosts: all\n  gather_facts: false\n  tasks:\n' +
  TASKS.map(
    ([name, args], i) =>
      `    - name: ${name}\n      file: ${args}\n      register: r${i}\n      ignore_errors: true\n` +
      `    - name: show ${i}\n      debug: { msg: "${i} changed={{ r${i}.changed }} failed={{ r${i}.failed | default(false) }} src={{ r${i}.src | default('-') }} msg={{ (r${i}.msg | default('')) | replace(root, 'ROOT') }}" }\n`,
  ).join('');

function seed(root: string): void {
  const d = join(root, 'l');
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  for (const n of ['f', 'g']) {
    writeFileSync(join(d, n), `${n}\n`);
    chmodSync(join(d, n), 0o644);
  }
  for (const n of ['link', 'link2', 'link3', 'link4', 'link5']) symlinkSync('f', join(d, n));
  for (const n of ['dangling', 'dangling2', 'dangling3']) symlinkSync('nowhere', join(d, n));
}

function tree(root: string): Record<string, string> {
  const d = join(root, 'l');
  const out: Record<string, string> = {};
  for (const n of readdirSync(d).sort()) {
    const st = lstatSync(join(d, n));
    out[n] = st.isSymbolicLink() ? `link -> ${readlinkSync(join(d, n))}` : `${st.isDirectory() ? 'dir' : 'file'} ${(st.mode & 0o7777).toString(8)} size=${st.size}`;
  }
  return out;
}

/** The debug lines of the play, in order. */
const shown = (out: string) => [...out.matchAll(/"msg": "(\d+ changed=.*)"/g)].map((m) => m[1]);

/** For each task's printed diff: the sorted JSON keys on its -/+/context lines. */
function diffKeys(out: string): Record<string, string[]> {
  const keys: Record<string, string[]> = {};
  for (const block of out.split(/\nTASK \[/).slice(1)) {
    const name = block.slice(0, block.indexOf(']'));
    const ks = [...block.matchAll(/^[-+ ]\s+"(\w+)":/gm)].map((m) => m[1]!);
    if (ks.length) keys[name] = [...new Set(ks)].sort();
  }
  return keys;
}

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(2);
  pj = makeProject(th, 'e2e-file-links');
  pj.write({ 'site.yml': PLAY });
}, 180_000);

afterAll(async () => {
  await th?.stop();
  if (pj) rmSync(pj.dir, { recursive: true, force: true });
});

describe('file on symlinks and touch, against ansible-playbook', () => {
  test('same outcomes, same trees and the same diff keys', async () => {
    for (const h of th.hosts) seed(h.root);
    const [s, a] = await Promise.all([pj.sams('site.yml', ['--limit', 'h1', '--diff']), pj.ansible('site.yml', ['--limit', 'h2', '--diff'])]);
    expect(shown(a.stdout)).toHaveLength(TASKS.length);
    expect(shown(s.stdout)).toEqual(shown(a.stdout));
    expect(recap(s.stdout).h1).toEqual(recap(a.stdout).h2);
    expect(tree(th.host('h1').root)).toEqual(tree(th.host('h2').root));
    const ka = diffKeys(a.stdout);
    expect(ka['touch a new file with a mode']).toEqual(['atime', 'mode', 'mtime', 'path', 'state']);
    expect(diffKeys(s.stdout)).toEqual(ka);
    // Following a dangling link: the same warning.
    const warn = 'Cannot set fs attributes on a non-existent symlink target';
    expect(a.stdout + a.stderr).toContain(warn);
    expect(s.stdout + s.stderr).toContain(warn);
  }, 120_000);
});
