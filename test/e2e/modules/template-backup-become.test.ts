// template with backup: true (the backup's name pattern and content, the result's backup_file) and
// file modules under become as a non-root login (samsuser with sudo) creating root-owned files,
// each run by sams on h1 and ansible-playbook on h2 from the same seed and compared.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeProject, type Project } from '../../fixtures/files/e2e-kit.js';
import { ensureBuilt, recap } from '../../helpers/run-cli.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let pj: Project;

/** Ansible's backup name: PATH.PID.YYYY-MM-DD@HH:MM:SS~ */
const BACKUP = /^app\.conf\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/;

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(2);
  pj = makeProject(th, 'e2e-template-backup');
  pj.write({
    'templates/app.conf.j2': 'name={{ inventory_hostname }}\nport=8080\n',
    'backup.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: render with backup
      template: { src: app.conf.j2, dest: "{{ root }}/tb/app.conf", backup: true }
      register: r
    - name: show
      debug: { msg: "keys={{ r.keys() | sort | join(',') }} backup={{ r.backup_file | default('') | basename }}" }
    - name: again
      template: { src: app.conf.j2, dest: "{{ root }}/tb/app.conf", backup: true }
      register: r2
    - name: show again
      debug: { msg: "again=changed:{{ r2.changed }} has_backup={{ 'backup_file' in r2 }}" }
`,
    'become.yml': `- hosts: all
  gather_facts: false
  vars: { ansible_user: samsuser }
  tasks:
    - name: without become the root-owned directory is not writable
      file: { path: "{{ root }}/bec/nope", state: touch }
      register: denied
      ignore_errors: true
    - name: directory as root
      become: true
      file: { path: "{{ root }}/bec/sub", state: directory, mode: "0750" }
    - name: touch as root
      become: true
      file: { path: "{{ root }}/bec/sub/stamp", state: touch, mode: "0640" }
    - name: copy as root
      become: true
      copy: { content: "secret\\n", dest: "{{ root }}/bec/sub/copied", mode: "0600" }
    - name: link as root
      become: true
      file: { src: copied, dest: "{{ root }}/bec/sub/link", state: link }
    - name: who
      debug: { msg: "denied={{ denied.failed }}" }
`,
  });
}, 180_000);

afterAll(async () => {
  await th?.stop();
  if (pj) rmSync(pj.dir, { recursive: true, force: true });
});

const shown = (out: string) => [...out.matchAll(/"msg": "((?:keys|again|denied)=.*)"/g)].map((m) => m[1]!);

describe('template backup: true against ansible-playbook', () => {
  test('the old content is kept under the same name pattern, reported as backup_file; an unchanged file gets none', async () => {
    for (const h of th.hosts) {
      rmSync(join(h.root, 'tb'), { recursive: true, force: true });
      mkdirSync(join(h.root, 'tb'));
      writeFileSync(join(h.root, 'tb/app.conf'), 'old content\n');
    }
    const [s, a] = await Promise.all([pj.sams('backup.yml', ['--limit', 'h1']), pj.ansible('backup.yml', ['--limit', 'h2'])]);
    expect(a.code, a.stdout).toBe(0);
    expect(s.code, s.stdout + s.stderr).toBe(0);
    const backups = (root: string) => readdirSync(join(root, 'tb')).filter((n) => n !== 'app.conf');
    for (const [h, out] of [
      ['h1', s.stdout],
      ['h2', a.stdout],
    ] as const) {
      const root = th.host(h).root;
      const names = backups(root);
      expect(names, h).toHaveLength(1);
      expect(names[0], h).toMatch(BACKUP);
      expect(readFileSync(join(root, 'tb', names[0]!), 'utf8')).toBe('old content\n');
      expect(readFileSync(join(root, 'tb/app.conf'), 'utf8')).toBe(`name=${h}\nport=8080\n`);
      // The registered backup_file names that file.
      expect(shown(out)[0]).toContain(`backup=${names[0]}`);
    }
    // Ansible's template result always carries `diff` (sams only under --diff; see result-keys-vs-ansible).
    const strip = (lines: string[]) => lines.map((l) => l.replace(/ backup=.*/, '').replace(',diff,', ','));
    expect(strip(shown(s.stdout))).toEqual(strip(shown(a.stdout)));
    expect(shown(s.stdout)[1]).toBe('again=changed:False has_backup=False');
    expect(recap(s.stdout).h1).toEqual(recap(a.stdout).h2);
  }, 120_000);
});

describe('file modules with become as a non-root login', () => {
  test('samsuser cannot write there itself; with become the files are root-owned, as with ansible-playbook', async () => {
    for (const h of th.hosts) {
      rmSync(join(h.root, 'bec'), { recursive: true, force: true });
      mkdirSync(join(h.root, 'bec'), { mode: 0o755 });
    }
    const [s, a] = await Promise.all([pj.sams('become.yml', ['--limit', 'h1']), pj.ansible('become.yml', ['--limit', 'h2'])]);
    expect(a.code, a.stdout).toBe(0);
    expect(s.code, s.stdout + s.stderr).toBe(0);
    expect(shown(s.stdout)).toEqual(['denied=True']);
    expect(shown(a.stdout)).toEqual(['denied=True']);
    const facts = (root: string) =>
      ['sub', 'sub/stamp', 'sub/copied'].map((r) => {
        const st = statSync(join(root, 'bec', r));
        return `${r} uid=${st.uid} gid=${st.gid} mode=${(st.mode & 0o7777).toString(8)}`;
      });
    expect(facts(th.host('h1').root)).toEqual(['sub uid=0 gid=0 mode=750', 'sub/stamp uid=0 gid=0 mode=640', 'sub/copied uid=0 gid=0 mode=600']);
    expect(facts(th.host('h1').root)).toEqual(facts(th.host('h2').root));
    expect(existsSync(join(th.host('h1').root, 'bec/nope'))).toBe(false);
    expect(readFileSync(join(th.host('h1').root, 'bec/sub/copied'), 'utf8')).toBe('secret\n');
    expect(recap(s.stdout).h1).toEqual(recap(a.stdout).h2);
  }, 120_000);
});
