// Where inventory, forks and remote_user come from: command-line flags (-i, -f, -u) win over the
// project's sams.yml, sams.yml wins over an ansible.cfg beside it, and ansible.cfg's [defaults]
// are read when there is no sams.yml. Real CLI runs; remote_user against real sshd hosts.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, runSams, writeTree } from '../../helpers/run-cli.js';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';

const inventories = {
  'from-sams-yml.ini': 'sams_yml_host ansible_connection=local\n',
  'from-ansible-cfg.ini': 'ansible_cfg_host ansible_connection=local\n',
  'from-flag.ini': 'flag_host ansible_connection=local\n',
};
const forksPlaybook = '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg="forks={{ ansible_forks }}"\n';

/** A fresh project directory with these files. */
function project(files: Record<string, string>): string {
  return writeTree(mkdtempSync(join(tmpdir(), 'sams-settings-')), { ...inventories, 'p.yml': forksPlaybook, ...files });
}

/** Host names printed by --list-hosts. */
function listedHosts(stdout: string): string[] {
  return [...stdout.matchAll(/^ {6}(\S+)$/gm)].map((m) => m[1]!);
}

const samsYml = 'inventory: from-sams-yml.ini\nforks: 3\n';
const ansibleCfg = '[defaults]\ninventory = from-ansible-cfg.ini\nforks = 4\n';

beforeAll(() => ensureBuilt());

describe('inventory', () => {
  test('sams.yml inventory is used without -i', async () => {
    const r = await runSams(['play', 'p.yml', '--list-hosts'], { cwd: project({ 'sams.yml': samsYml }) });
    expect(r.code, r.stderr).toBe(0);
    expect(listedHosts(r.stdout)).toEqual(['sams_yml_host']);
  });

  test('-i wins over the sams.yml inventory', async () => {
    const r = await runSams(['play', 'p.yml', '--list-hosts', '-i', 'from-flag.ini'], { cwd: project({ 'sams.yml': samsYml }) });
    expect(r.code, r.stderr).toBe(0);
    expect(listedHosts(r.stdout)).toEqual(['flag_host']);
  });

  test('ansible.cfg [defaults] inventory is read when there is no sams.yml', async () => {
    const r = await runSams(['play', 'p.yml', '--list-hosts'], { cwd: project({ 'ansible.cfg': ansibleCfg }) });
    expect(r.code, r.stderr).toBe(0);
    expect(listedHosts(r.stdout)).toEqual(['ansible_cfg_host']);
  });

  test('sams.yml wins over an ansible.cfg in the same directory', async () => {
    const r = await runSams(['play', 'p.yml', '--list-hosts'], { cwd: project({ 'sams.yml': samsYml, 'ansible.cfg': ansibleCfg }) });
    expect(r.code, r.stderr).toBe(0);
    expect(listedHosts(r.stdout)).toEqual(['sams_yml_host']);
  });

  test('-i wins over the ansible.cfg inventory', async () => {
    const r = await runSams(['play', 'p.yml', '--list-hosts', '-i', 'from-flag.ini'], { cwd: project({ 'ansible.cfg': ansibleCfg }) });
    expect(r.code, r.stderr).toBe(0);
    expect(listedHosts(r.stdout)).toEqual(['flag_host']);
  });
});

describe('forks (seen through ansible_forks)', () => {
  const cases: [string, Record<string, string>, string[], number][] = [
    ['sams.yml forks is used without -f', { 'sams.yml': samsYml }, [], 3],
    ['-f wins over sams.yml forks', { 'sams.yml': samsYml }, ['-f', '2'], 2],
    ['ansible.cfg forks is read when there is no sams.yml', { 'ansible.cfg': ansibleCfg }, [], 4],
    ['sams.yml forks wins over ansible.cfg forks', { 'sams.yml': samsYml, 'ansible.cfg': ansibleCfg }, [], 3],
    ['-f wins over ansible.cfg forks', { 'ansible.cfg': ansibleCfg }, ['-f', '2'], 2],
  ];
  for (const [name, files, args, forks] of cases) {
    test(name, async () => {
      const r = await runSams(['play', 'p.yml', ...args], { cwd: project(files) });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain(`"msg": "forks=${forks}"`);
    });
  }
});

describe('remote_user (seen through whoami on a real sshd host)', () => {
  let th: TestHosts;
  let inventory: string;
  beforeAll(async () => {
    th = await startTestHosts(1);
    const h = th.hosts[0]!;
    // No ansible_user here, so the user comes from -u or the settings.
    inventory =
      `h1 ansible_host=${h.address} ansible_port=${h.port} ansible_ssh_private_key_file=${th.clientKey}\n` +
      `[all:vars]\nansible_ssh_common_args='-o UserKnownHostsFile=${th.knownHostsFile} -o StrictHostKeyChecking=yes'\n`;
  });
  afterAll(async () => th?.stop());

  const whoami = '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: whoami\n      register: w\n    - debug: msg="user={{ w.stdout }}"\n';
  const cases: [string, Record<string, string>, string[], string][] = [
    ['sams.yml remote_user is used without -u', { 'sams.yml': 'inventory: hosts.ini\nremote_user: samsuser\n' }, [], 'samsuser'],
    ['-u wins over sams.yml remote_user', { 'sams.yml': 'inventory: hosts.ini\nremote_user: samsuser\n' }, ['-u', 'root'], 'root'],
    ['ansible.cfg remote_user is read when there is no sams.yml', { 'ansible.cfg': '[defaults]\ninventory = hosts.ini\nremote_user = samspw\n' }, [], 'samspw'],
    [
      'sams.yml remote_user wins over ansible.cfg remote_user',
      { 'sams.yml': 'inventory: hosts.ini\nremote_user: samsuser\n', 'ansible.cfg': '[defaults]\ninventory = hosts.ini\nremote_user = samspw\n' },
      [],
      'samsuser',
    ],
  ];
  for (const [name, files, args, user] of cases) {
    test(name, async () => {
      const r = await runSams(['play', 'w.yml', ...args], { cwd: project({ ...files, 'hosts.ini': inventory, 'w.yml': whoami }) });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain(`"msg": "user=${user}"`);
    });
  }
});
