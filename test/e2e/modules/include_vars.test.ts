// include_vars end to end: files, directories, name:, vault-encrypted files, precedence,
// compared with ansible-playbook.

import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { writeTree } from '../../helpers/run-cli.js';
import { ansiblePlay, play, stable, useProject } from './core-helpers.js';

const p = useProject(1, 'include-vars');
const VAULT = join(import.meta.dirname, '../../fixtures/vault');

function project(): void {
  writeTree(p.dir, {
    'vars/app.yml': 'app_port: 8080\nshared: from-file\nnested: {a: 1}\n',
    'vars/extra.json': '{"from_json": [1, 2]}',
    'conf.d/10-a.yml': 'a: 1\nover: a\n',
    'conf.d/20-b.yaml': 'b: 2\nover: b\n',
    'conf.d/sub/30-c.yml': 'c: 3\n',
    'conf.d/README.txt': 'not vars\n',
  });
  copyFileSync(join(VAULT, 'v11.yml'), join(p.dir, 'vars/secret.yml'));
}

const PLAYBOOK = [
  '- hosts: h1',
  '  gather_facts: false',
  '  vars:',
  '    shared: from-play',
  '  tasks:',
  '    - name: file',
  '      include_vars: app.yml',
  '      register: r_file',
  '    - name: json under a name',
  '      include_vars:',
  '        file: extra.json',
  '        name: extra',
  '    - name: dir',
  '      include_vars:',
  '        dir: conf.d',
  '        ignore_unknown_extensions: true',
  '      register: r_dir',
  '    - name: vault',
  '      include_vars: secret.yml',
  '    - name: set fact wins over include_vars',
  '      set_fact:',
  '        over: from-set-fact',
  '    - name: include again',
  '      include_vars:',
  '        dir: conf.d',
  '        depth: 1',
  '        files_matching: "^10-"',
  '    - debug: var=r_file',
  '    - debug: var=r_dir',
  '    - name: show',
  '      debug:',
  '        msg: "{{ [app_port, shared, nested.a, extra, a, b, c, over] }}"',
  '    - name: secret',
  '      debug:',
  '        msg: "{{ [db_password == \\"s3cr3t\\", list | length == 2] }}"',
  '',
].join('\n');

describe('include_vars', () => {
  test('variables and results as ansible-playbook’s', async () => {
    project();
    const pw = join(VAULT, 'password.txt');
    const [s, a] = await Promise.all([play(p, PLAYBOOK, ['--vault-password-file', pw]), ansiblePlay(p, PLAYBOOK, ['--vault-password-file', pw])]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.result('show').data?.msg).toEqual((a.result('show') as { msg: unknown }).msg);
    expect(s.result('show').data?.msg).toEqual([8080, 'from-file', 1, { from_json: [1, 2] }, 1, 2, 3, 'from-set-fact']);
    expect(s.result('secret').data?.msg).toEqual([true, true]);
    expect((a.result('secret') as { msg: unknown }).msg).toEqual([true, true]);
    expect(stable(s.shown('r_file'))).toEqual(stable(a.shown('r_file')));
    const files = (r: unknown) => (r as { ansible_included_var_files: string[] }).ansible_included_var_files;
    expect(files(s.shown('r_dir'))).toEqual(files(a.shown('r_dir')));
  });

  test('a vault-encrypted file without a password fails the task', async () => {
    project();
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - name: vault', '      include_vars: secret.yml', ''].join('\n'));
    expect(res.result('vault')).toMatchObject({ status: 'failed', msg: expect.stringContaining('vault') });
    expect(res.code).toBe(2);
    expect(res.stdout).not.toContain('s3cr3t');
    expect(readFileSync(join(p.dir, 'vars/secret.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT/);
  });

  test('file with dir arguments is a load-time error, exit 4', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - include_vars:', '        file: a.yml', '        depth: 2', ''].join('\n'));
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:6:\d+: .*You are mixing file only and dir only arguments/);
  });
});
