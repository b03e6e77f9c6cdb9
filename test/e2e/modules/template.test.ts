// template over a real sshd host: loops/conditionals, template_* variables and ansible_managed,
// trim_blocks/lstrip_blocks/newline_sequence, owner/mode, vault values (diff hidden), validation
// failure, template errors naming file:line, check mode, --diff, idempotence, load-time argument
// errors; rendered files compared byte for byte with ansible-playbook's.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeProject, result, snapshot, statuses, type Project } from '../../fixtures/files/e2e-kit.js';
import { ansibleEnv } from '../../helpers/ansible.js';
import { ensureBuilt, recap } from '../../helpers/run-cli.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

let th: TestHosts;
let pj: Project;
let root: string;
const VAULT = ['--vault-password-file', 'vault-pw'];

const TEMPLATE = `# {{ ansible_managed }}
{% for u in users %}
  {% if u.admin %}
admin {{ u.name }}
  {% else %}
user {{ u.name }}
  {% endif %}
{% endfor %}
path={{ template_path }} dest={{ template_destpath | replace(root, 'ROOT') }}
`;

const PLAY = `- hosts: all
  gather_facts: false
  vars_files: [secrets.yml]
  vars:
    users: [{ name: alice, admin: true }, { name: bob, admin: false }]
  tasks:
    - name: render
      template: { src: users.j2, dest: "{{ root }}/users.conf", mode: "0640", group: daemon }
    - name: lstrip
      template: { src: users.j2, dest: "{{ root }}/users.lstrip", lstrip_blocks: true }
    - name: no trim
      template: { src: users.j2, dest: "{{ root }}/users.notrim", trim_blocks: false }
    - name: crlf
      template: { src: users.j2, dest: "{{ root }}/users.crlf", newline_sequence: "\\r\\n" }
    - name: into a directory
      template: { src: users.j2, dest: "{{ root }}/dir/" }
    - name: secret
      template: { src: secret.j2, dest: "{{ root }}/secret.conf", mode: "0600" }
`;

beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(2);
  pj = makeProject(th, 'e2e-template');
  root = th.host('h1').root;
  pj.write({
    'site.yml': PLAY,
    'templates/users.j2': TEMPLATE,
    'templates/secret.j2': 'password = {{ db_pass }}\n',
    'templates/broken.j2': 'line one\nline two\n{{ no_such_var }}\n',
    'secrets.yml': 'db_pass: s3cret-Value-42\n',
    'vault-pw': 'template-test-pw\n',
  });
  const enc = spawnSync('ansible-vault', ['encrypt', '--vault-password-file', 'vault-pw', 'secrets.yml'], { cwd: pj.dir, env: ansibleEnv(), encoding: 'utf8' });
  if (enc.status !== 0) throw new Error(`ansible-vault failed: ${enc.stderr}`);
  for (const h of th.hosts) mkdirSync(join(h.root, 'dir'), { recursive: true });
}, 180_000);

afterAll(async () => {
  await th?.stop();
  if (pj) rmSync(pj.dir, { recursive: true, force: true });
});

describe('template on a real host', () => {
  let predicted: Record<string, string>;

  test('--check predicts the changes and leaves every file as it was', async () => {
    const before = snapshot(root);
    const r = await pj.sams('site.yml', ['--check', '--json', '--limit', 'h1', ...VAULT]);
    expect(r.code, r.stderr).toBe(0);
    expect(snapshot(root)).toEqual(before);
    predicted = statuses(r);
    expect(Object.values(predicted)).toEqual(Array(6).fill('changed'));
  });

  test('the first run renders what ansible-playbook renders, byte for byte', async () => {
    const [s, a] = await Promise.all([pj.sams('site.yml', ['--json', '--limit', 'h1', ...VAULT]), pj.ansible('site.yml', ['--limit', 'h2', ...VAULT])]);
    expect(s.code, s.stderr).toBe(0);
    expect(a.code, a.stdout).toBe(0);
    expect(statuses(s)).toEqual(predicted);
    const other = th.host('h2').root;
    for (const f of ['users.conf', 'users.lstrip', 'users.notrim', 'users.crlf', 'dir/users.j2', 'secret.conf']) {
      expect(readFileSync(join(root, f)), f).toEqual(readFileSync(join(other, f)));
      expect(statSync(join(root, f)).mode & 0o7777, f).toBe(statSync(join(other, f)).mode & 0o7777);
      expect(statSync(join(root, f)).gid, f).toBe(statSync(join(other, f)).gid);
    }
    expect(readFileSync(join(root, 'users.conf'), 'utf8')).toContain('# Ansible managed\n');
    expect(readFileSync(join(root, 'users.crlf'), 'utf8')).toContain('\r\n');
    expect(result(s, 'render').data).toMatchObject({ dest: join(root, 'users.conf'), mode: '0640', group: 'daemon', state: 'file' });
  }, 180_000);

  test('a second run is ok everywhere and changes nothing', async () => {
    const before = snapshot(root);
    const r = await pj.sams('site.yml', ['--limit', 'h1', ...VAULT]);
    expect(r.code).toBe(0);
    expect(recap(r.stdout).h1).toMatchObject({ ok: 6, changed: 0 });
    expect(snapshot(root)).toEqual(before);
  });

  test('--check --diff shows the rendered diff, but not one holding a vault value', async () => {
    writeFileSync(join(root, 'users.conf'), 'stale\n');
    writeFileSync(join(root, 'secret.conf'), 'password = old\n');
    const before = snapshot(root);
    const r = await pj.sams('site.yml', ['--check', '--diff', '--json', '--limit', 'h1', ...VAULT]);
    expect(snapshot(root)).toEqual(before);
    const d = result(r, 'render').diff![0]!;
    expect(d.before).toBe('stale\n');
    expect(d.after).toContain('admin alice\n');
    expect(result(r, 'secret').diff![0]).toMatchObject({ skipped: 'secret' });
    const text = await pj.sams('site.yml', ['--check', '--diff', '--limit', 'h1', ...VAULT]);
    expect(text.stdout).toContain('-stale');
    expect(text.stdout + text.stderr).not.toContain('s3cret-Value-42');
    await pj.sams('site.yml', ['--limit', 'h1', ...VAULT]);
  });

  test('a template error names the template file and line', async () => {
    pj.write({ 'broken.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: broken\n      template: { src: broken.j2, dest: "{{ root }}/broken.conf" }\n' });
    const r = await pj.sams('broken.yml', ['--json']);
    expect(r.code).toBe(2);
    expect(result(r, 'broken').msg).toMatch(new RegExp(`^${join(pj.dir, 'templates/broken.j2')}:3:\\d+: undefined variable 'no_such_var'`));
  });

  test('a failing validate leaves the file untouched', async () => {
    writeFileSync(join(root, 'validated.conf'), 'original\n');
    pj.write({
      'validate.yml':
        '- hosts: h1\n  gather_facts: false\n  vars: { users: [] }\n  tasks:\n    - name: validated\n      template: { src: users.j2, dest: "{{ root }}/validated.conf", validate: "grep -q nothing-like-this %s" }\n',
    });
    const r = await pj.sams('validate.yml', ['--json']);
    expect(r.code).toBe(2);
    expect(result(r, 'validated').msg).toMatch(/^validation failed/);
    expect(readFileSync(join(root, 'validated.conf'), 'utf8')).toBe('original\n');
  });

  test('bad arguments are rejected at load time with file:line:col', async () => {
    pj.write({ 'bad.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - template:\n        src: a.j2\n        dest: /tmp/x\n        output_encoding: latin-1\n        variable_start_string: "[["\n' });
    const r = await pj.sams('bad.yml');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/bad\.yml:7:26: module 'template': argument 'output_encoding': sams writes templates as utf-8 only/);
    expect(r.stderr).toMatch(/bad\.yml:8:9: unknown argument 'variable_start_string' for module 'template'/);
  });
});
