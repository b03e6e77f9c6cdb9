// become through the playbook keywords (play and task level, sudo and su, a vaulted become
// password) pinned against real ansible-playbook on the same sshd hosts, logged in as the
// non-root test users; and the become password never appears in sams' output.

import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ansibleEnv } from '../../helpers/ansible.js';
import { compareWithAnsible } from '../../helpers/compare.js';
import { ensureBuilt, runSams, writeTree } from '../../helpers/run-cli.js';
import { SAMSPW_PASSWORD, ensureTestUsers, startTestHosts, type TestHosts } from '../../helpers/sshd.js';

const run = promisify(execFile);

let th: TestHosts;
let vaultPasswordFile: string;
/** host_vars: h1 logs in as samsuser (sudo without password) and has samspw's password vaulted; h2 logs in as samspw (sudo with password) and has a vaulted ansible_become_password. */
let hostVars: Record<string, string>;

/** `name: !vault |` text for a value, made by ansible-vault (so both tools read the same file). */
async function vaulted(name: string, value: string): Promise<string> {
  const { stdout } = await run('ansible-vault', ['encrypt_string', '--vault-password-file', vaultPasswordFile, value, '--name', name], { env: ansibleEnv() });
  return stdout.trimEnd() + '\n';
}

beforeAll(async () => {
  ensureBuilt();
  await ensureTestUsers();
  th = await startTestHosts(2);
  vaultPasswordFile = join(mkdtempSync(join(tmpdir(), 'sams-become-vpw-')), 'vault-pass');
  writeFileSync(vaultPasswordFile, 'become-test-vault-pw\n');
  hostVars = {
    'host_vars/h1.yml': (await vaulted('samspw_password', SAMSPW_PASSWORD)) + 'ansible_user: samsuser\n',
    'host_vars/h2.yml': (await vaulted('ansible_become_password', SAMSPW_PASSWORD)) + 'ansible_user: samspw\n',
  };
}, 60_000);
afterAll(async () => th?.stop());

const whoami = (register: string, extra: string[] = []) => ['    - command: whoami', ...extra, `      register: ${register}`];
const names = ['plain', 'sudo_root', 'sudo_user', 'su_user', 'play_become', 'task_off'];

const playbook = [
  '- hosts: h1',
  '  gather_facts: false',
  '  tasks:',
  ...whoami('plain'),
  ...whoami('sudo_root', ['      become: true']),
  ...whoami('sudo_user', ['      become: true', '      become_user: samspw']),
  // su asks for the target user's password. Ansible needs world-readable temp files to become
  // an unprivileged user with su (sams sends no files for a command).
  ...whoami('su_user', [
    '      become: true',
    '      become_method: su',
    '      become_user: samspw',
    '      vars: {ansible_become_password: "{{ samspw_password }}", ansible_shell_allow_world_readable_temp: true}',
  ]),
  '- hosts: h2',
  '  gather_facts: false',
  '  become: true',
  '  tasks:',
  ...whoami('play_become'),
  ...whoami('task_off', ['      become: false']),
  // The results are written as root: the output directory is not for the test users.
  '- hosts: h1:h2',
  '  gather_facts: false',
  '  vars: {ansible_user: root}',
  '  tasks:',
  '    - copy:',
  '        dest: "{{ out }}/{{ inventory_hostname }}.who"',
  `        content: "{% for v in ${JSON.stringify(names).replace(/"/g, "'")} %}{% if hostvars[inventory_hostname][v] is defined %}{{ v }}={{ hostvars[inventory_hostname][v].stdout }}\\n{% endif %}{% endfor %}"`,
  '',
].join('\n');

describe('become from playbook keywords, as ansible-playbook', () => {
  test('sudo to root and to another user, su with a vaulted password, play-level become with a vaulted become password, become: false on a task', async () => {
    const { sams, ansible } = await compareWithAnsible(th.inventoryFile, playbook, { files: hostVars, args: ['--vault-password-file', vaultPasswordFile] });
    const ctx = `\n--- sams:\n${sams.res.stdout}\n${sams.res.stderr}\n--- ansible:\n${ansible.res.stdout}\n${ansible.res.stderr}`;
    expect(ansible.files['h1.who'], ctx).toBe('plain=samsuser\nsudo_root=root\nsudo_user=samspw\nsu_user=samspw\n');
    expect(ansible.files['h2.who'], ctx).toBe('play_become=root\ntask_off=samspw\n');
    expect(sams.files, ctx).toEqual(ansible.files);
    expect(sams.recap, ctx).toEqual(ansible.recap);
    expect(sams.res.code, ctx).toBe(ansible.res.code);
  });

  test('a wrong become password fails the task (exit 2), as in Ansible', async () => {
    const pb = ['- hosts: h2', '  gather_facts: false', '  become: true', '  vars: {ansible_become_password: not-the-password}', '  tasks:', '    - command: whoami', ''].join('\n');
    const { sams, ansible } = await compareWithAnsible(th.inventoryFile, pb, { files: hostVars, args: ['--vault-password-file', vaultPasswordFile] });
    const ctx = `\n--- sams:\n${sams.res.stdout}\n${sams.res.stderr}\n--- ansible:\n${ansible.res.stdout}\n${ansible.res.stderr}`;
    expect(ansible.recap.h2, ctx).toMatchObject({ failed: 1 });
    expect(sams.recap, ctx).toEqual(ansible.recap);
    expect(sams.res.code, ctx).toBe(2);
    expect(ansible.res.code, ctx).toBe(2);
  });
});

describe('the become password stays out of the output', () => {
  // The playbook also shows the password's variable on purpose (Ansible would print it).
  const showing = playbook + ['- hosts: h2', '  gather_facts: false', '  tasks:', '    - debug: var=ansible_become_password', '    - debug: msg="pw {{ ansible_become_password }}"', ''].join('\n');
  test.each(['--json', '-vvv', '--json -vvv'])('with %s', async (flagText) => {
    const flags = flagText.split(' ');
    const dir = writeTree(mkdtempSync(join(tmpdir(), 'sams-become-out-')), { 'site.yml': showing, ...hostVars });
    const out = join(dir, 'out');
    writeTree(out, { '.keep': '' });
    const r = await runSams(['play', 'site.yml', '-i', th.inventoryFile, '-e', `out=${out}`, '--vault-password-file', vaultPasswordFile, ...flags], { cwd: dir });
    const all = r.stdout + r.stderr;
    // The run did become (so the password was used), and printed a lot at this verbosity.
    expect(r.code, all).toBe(0);
    expect(all).toContain('whoami');
    expect(all).toContain('ansible_become_password');
    expect(all).not.toContain(SAMSPW_PASSWORD);
  });
});
