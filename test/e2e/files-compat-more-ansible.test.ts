// The same playbook of lineinfile, blockinfile, replace and cron (a cron_file under /etc/cron.d,
// with jobs, a special time and an environment variable) run by ansible-playbook on one host and by
// sams on another, from the same seed: the resulting files must be equal byte for byte (content,
// mode, owner, group), the recaps must count the same, and a second run of each changes nothing.

import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnsible } from '../helpers/ansible.js';
import { ensureBuilt, recap, runSams } from '../helpers/run-cli.js';
import { startTestHosts, type TestHosts } from '../helpers/sshd.js';

let th: TestHosts;
let project: string;
const CRON_TAG = `sams-compat-${randomBytes(4).toString('hex')}`;
const cronFile = (host: string) => `/etc/cron.d/${CRON_TAG}-${host}`;

const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - name: set a key by regexp
      lineinfile: { path: "{{ root }}/e/app.conf", regexp: "^port=", line: "port=8080" }
    - name: add a line after a match
      lineinfile: { path: "{{ root }}/e/app.conf", insertafter: "^\\\\[main\\\\]", line: "debug=false" }
    - name: remove lines
      lineinfile: { path: "{{ root }}/e/app.conf", regexp: "^# old", state: absent }
    - name: backrefs
      lineinfile: { path: "{{ root }}/e/app.conf", regexp: "^(name)=(.*)$", line: '\\1 = \\2', backrefs: true }
    - name: create a new file with a mode
      lineinfile: { path: "{{ root }}/e/new.conf", line: "hello", create: true, mode: "0640", group: daemon }
    - name: insert at the beginning
      lineinfile: { path: "{{ root }}/e/new.conf", line: "# first", insertbefore: BOF }
    - name: a managed block
      blockinfile: { path: "{{ root }}/e/app.conf", block: "a=1\\nb=2" }
    - name: a second block with its own marker, before a line
      blockinfile: { path: "{{ root }}/e/app.conf", marker: "## {mark} extra", block: "x=9", insertbefore: "^\\\\[main\\\\]" }
    - name: a block in a new file
      blockinfile: { path: "{{ root }}/e/block.conf", block: "only", create: true, mode: "0600" }
    - name: remove a block
      blockinfile: { path: "{{ root }}/e/hosts", marker: "# {mark} OLD", state: absent }
    - name: replace everywhere
      replace: { path: "{{ root }}/e/hosts", regexp: "\\\\bexample\\\\.org\\\\b", replace: "example.net" }
    - name: replace between markers
      replace: { path: "{{ root }}/e/hosts", regexp: "^10\\\\.", replace: "192.168.", after: "# begin", before: "# end" }
    - name: replace with a group
      replace: { path: "{{ root }}/e/hosts", regexp: "^(127\\\\.0\\\\.0\\\\.1)\\\\s+(\\\\S+)$", replace: '\\2 at \\1' }
    - name: cron job in a cron_file
      cron: { name: backup, minute: "5", hour: "2", job: "/usr/bin/true backup", cron_file: "${CRON_TAG}-{{ inventory_hostname }}", user: root }
    - name: a special time
      cron: { name: boot, special_time: reboot, job: "/usr/bin/true boot", cron_file: "${CRON_TAG}-{{ inventory_hostname }}", user: root }
    - name: an environment variable
      cron: { name: MAILTO, env: true, job: "", cron_file: "${CRON_TAG}-{{ inventory_hostname }}", user: root }
    - name: a disabled job
      cron: { name: off, minute: "*/10", job: "/usr/bin/true off", disabled: true, cron_file: "${CRON_TAG}-{{ inventory_hostname }}", user: root }
`;

function seed(root: string): void {
  const e = join(root, 'e');
  rmSync(e, { recursive: true, force: true });
  mkdirSync(e, { recursive: true });
  writeFileSync(join(e, 'app.conf'), '# old setting\n[main]\nname=demo\nport=80\n# old tail\n');
  chmodSync(join(e, 'app.conf'), 0o604);
  writeFileSync(join(e, 'hosts'), '127.0.0.1 localhost\n# begin\n10.0.0.1 a.example.org\n# end\n10.0.0.2 b.example.org\n# BEGIN OLD\nold entry\n# END OLD\n');
  chownSync(join(e, 'hosts'), 1, 1);
}

/** Every file of the test: type, mode, owner, group and the exact bytes (the cron file too). */
function snapshot(root: string, host: string): Record<string, string> {
  const out: Record<string, string> = {};
  const one = (key: string, p: string) => {
    const st = lstatSync(p);
    out[key] = `mode=${(st.mode & 0o7777).toString(8)} uid=${st.uid} gid=${st.gid}\n${readFileSync(p, 'utf8')}`;
  };
  for (const n of readdirSync(join(root, 'e')).sort()) one(n, join(root, 'e', n));
  if (existsSync(cronFile(host))) one('cron_file', cronFile(host));
  return out;
}

const run = (limit: string) =>
  limit === 'ansible'
    ? runAnsible('ansible-playbook', ['-i', 'inventory.ini', 'site.yml', '--limit', 'ansible'], project)
    : runSams(['play', 'site.yml', '-i', 'inventory.ini', '--limit', 'sams'], { cwd: project });

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(2, { names: ['ansible', 'sams'] });
  project = mkdtempSync(join(tmpdir(), 'sams-files-compat-more-'));
  writeFileSync(join(project, 'site.yml'), PLAY);
  writeFileSync(join(project, 'inventory.ini'), readFileSync(th.inventoryFile, 'utf8'));
  mkdirSync(join(project, 'host_vars'));
  for (const h of th.hosts) {
    writeFileSync(join(project, 'host_vars', `${h.name}.yml`), `root: ${h.root}\n`);
    seed(h.root);
  }
}, 180_000);

afterAll(async () => {
  for (const h of th?.hosts ?? []) rmSync(cronFile(h.name), { force: true });
  await th?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('lineinfile, blockinfile, replace and cron against ansible-playbook', () => {
  test('the first runs leave identical files and count the same ok/changed', async () => {
    const [a, s] = await Promise.all([run('ansible'), run('sams')]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(s.code, s.stdout + s.stderr).toBe(0);
    const want = snapshot(th.host('ansible').root, 'ansible');
    expect(Object.keys(want)).toEqual(['app.conf', 'block.conf', 'hosts', 'new.conf', 'cron_file']);
    expect(want['cron_file']).toContain('/usr/bin/true backup');
    expect(snapshot(th.host('sams').root, 'sams')).toEqual(want);
    const ra = recap(a.stdout).ansible!;
    expect(ra.changed).toBe(17);
    expect(recap(s.stdout).sams).toEqual(ra);
  }, 180_000);

  test('second runs change nothing, with the same ok counts and the same files', async () => {
    const [a, s] = await Promise.all([run('ansible'), run('sams')]);
    expect(a.code).toBe(0);
    expect(s.code).toBe(0);
    const ra = recap(a.stdout).ansible!;
    expect(ra.changed).toBe(0);
    expect(recap(s.stdout).sams).toEqual(ra);
    expect(snapshot(th.host('sams').root, 'sams')).toEqual(snapshot(th.host('ansible').root, 'ansible'));
  }, 180_000);
});
