// setup end to end: facts gathered over SSH compared with ansible's setup on the same host;
// ansible_facts.X and ansible_X both set; gather_subset and filter.

import { describe, expect, test } from 'vitest';
import { runAnsible } from '../../helpers/ansible.js';
import { play, useProject, type Json } from './core-helpers.js';

const p = useProject(1, 'setup');

describe('setup', () => {
  test('key facts match `ansible -m setup` on the same host', async () => {
    const [s, a] = await Promise.all([
      play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - name: gather', '      setup:', ''].join('\n')),
      runAnsible('ansible', ['h1', '-i', p.inventory, '-m', 'setup'], p.dir, { ANSIBLE_HOST_KEY_CHECKING: 'False' }),
    ]);
    const ours = s.result('gather').data?.ansible_facts as Json;
    const theirs = JSON.parse(a.stdout.slice(a.stdout.indexOf('{'))).ansible_facts as Json;
    const same = ['distribution', 'distribution_version', 'distribution_major_version', 'distribution_release', 'os_family', 'hostname', 'nodename', 'fqdn', 'domain', 'kernel', 'kernel_version', 'architecture', 'machine', 'system', 'pkg_mgr', 'service_mgr', 'default_ipv4', 'all_ipv4_addresses', 'user_id', 'user_uid', 'user_gid', 'user_dir', 'user_shell', 'processor_vcpus', 'processor_count', 'processor_cores', 'virtualization_type', 'virtualization_role', 'lsb', 'selinux', 'apparmor', 'fips', 'dns', 'memtotal_mb'];
    for (const k of same) expect(ours[k], k).toEqual(theirs[`ansible_${k}`]);
    expect([...(ours.interfaces as string[])].sort()).toEqual([...(theirs.ansible_interfaces as string[])].sort());
    expect(Math.abs((ours.memfree_mb as number) - (theirs.ansible_memfree_mb as number))).toBeLessThan(2048);
    const root = (f: Json, key: string) => (f[key] as Json[]).find((m) => m.mount === '/');
    expect(root(ours, 'mounts')).toMatchObject({ device: root(theirs, 'ansible_mounts')!.device, fstype: root(theirs, 'ansible_mounts')!.fstype, size_total: root(theirs, 'ansible_mounts')!.size_total });
    expect(ours.env).toMatchObject({ HOME: (theirs.ansible_env as Json).HOME });
    expect('python' in ours).toBe(false);
  });

  test('facts are variables both as ansible_facts.X and ansible_X; gather_facts uses setup', async () => {
    const res = await play(p, [
      '- hosts: h1',
      '  gather_subset: ["!all", "network"]',
      '  tasks:',
      '    - name: show',
      '      debug:',
      '        msg: "{{ [ansible_facts.distribution == ansible_distribution, ansible_default_ipv4.address == ansible_facts.default_ipv4.address, ansible_memtotal_mb is defined] }}"',
      '',
    ].join('\n'));
    expect(res.code, res.stderr).toBe(0);
    expect(res.result('show').data?.msg).toEqual([true, true, false]);
  });

  test('filter and gather_subset narrow the facts', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - name: some', '      setup:', '        gather_subset: ["!all", "!min", "date_time"]', '        filter: ["ansible_date_time", "ansible_nope*"]', ''].join('\n'));
    expect(Object.keys(res.result('some').data?.ansible_facts as Json)).toEqual(['date_time']);
  });

  test('an unknown subset is a load-time error, exit 4', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - setup: gather_subset=hardwear', ''].join('\n'));
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:4:\d+: .*Bad subset 'hardwear' given to Ansible/);
  });
});
