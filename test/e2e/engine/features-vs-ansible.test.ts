// Features pinned against real ansible-playbook 2.14 on the same sshd hosts: vars_files
// precedence, with_fileglob, meta end_play / end_host / noop, and the magic variables of check and
// diff mode and of the play's hosts and batch. Recaps, exit codes and every file written must match.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';
import { ensureBuilt } from '../../helpers/run-cli.js';
import { describeSameAsAnsible, logTask as log, type AnsibleCase } from '../../helpers/ansible-cases.js';

let th: TestHosts;
beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(3);
});
afterAll(async () => th?.stop());


interface Case extends AnsibleCase {
  /** Variables added to h1's line of the test inventory (inventory host vars). */
  h1InventoryVars?: string;
}

const cases: Case[] = [
  {
    name: 'vars_files: above play vars, role defaults, inventory and playbook host vars; below role vars and extra vars; later files win',
    h1InventoryVars: 'h=inventory_host a=inventory_host',
    files: {
      'vars/one.yml': 'a: vars_files\nb: vars_files\nc: vars_files\nd: vars_files\ne: vars_files\nf: one\nh: vars_files\n',
      'vars/two.yml': 'f: two\n',
      'vars/h1.yml': 'g: by-host-name\n',
      'roles/r/defaults/main.yml': 'e: role_default\n',
      'roles/r/vars/main.yml': 'd: role_vars\n',
      'roles/r/tasks/main.yml': `- ${log('role a={{ a }} b={{ b }} c={{ c }} d={{ d }} e={{ e }} f={{ f }} g={{ g }} h={{ h }}')}\n`,
      'host_vars/h1.yml': 'b: host_vars\n',
    },
    playbook: [
      '- hosts: h1',
      '  gather_facts: false',
      '  vars:',
      '    a: play',
      '  vars_files:',
      '    - vars/one.yml',
      '    - vars/two.yml',
      '    - ["vars/missing.yml", "vars/{{ inventory_hostname }}.yml"]',
      '  roles: [r]',
      '  tasks:',
      `    - ${log('play a={{ a }} b={{ b }} c={{ c }} d={{ d }} e={{ e }} f={{ f }} g={{ g }} h={{ h }}')}`,
      '',
    ],
    args: ['-e', 'c=extra'],
    expect: ['h1.log', 'role a=vars_files b=vars_files c=extra d=role_vars e=vars_files f=two g=by-host-name h=vars_files'],
  },
  {
    name: 'import_playbook with when: the condition guards fact gathering and every task of the imported plays, not their handlers',
    files: {
      'other.yml': [
        '- hosts: test',
        '  tasks:',
        `    - ${log('facts {{ ansible_facts.hostname is defined }}')}`,
        '      notify: h',
        '      changed_when: true',
        '  roles: [r]',
        '  handlers:',
        `    - name: h`,
        `      ${log('handler')}`,
        '',
      ].join('\n'),
      'roles/r/tasks/main.yml': `- ${log('role task')}\n`,
    },
    playbook: ['- import_playbook: other.yml', '  when: inventory_hostname != "h2"', `- hosts: test\n  gather_facts: false\n  tasks:\n    - ${log('after')}`, ''],
    expect: ['h1.log', 'role task\nfacts True\nhandler\nafter'],
  },
  {
    name: 'with_fileglob: relative to the playbook files/ directory or the role files/ directory, only files, no match is no item',
    files: {
      'files/a.txt': 'a\n',
      'files/b.txt': 'b\n',
      'files/c.conf': 'c\n',
      'files/sub.txt/inner': 'a directory named like a match\n',
      'files/conf/x.txt': 'x\n',
      'roles/fg/files/r1.txt': 'r1\n',
      'roles/fg/files/r2.txt': 'r2\n',
      'roles/fg/tasks/main.yml': '- shell: cat {{ item }} > {{ out }}/role-{{ item | basename }}\n  with_fileglob: ["*.txt"]\n',
    },
    playbook: [
      '- hosts: h1',
      '  gather_facts: false',
      '  roles: [fg]',
      '  tasks:',
      '    - shell: cat {{ item }} > {{ out }}/pb-{{ item | basename }}',
      '      with_fileglob: ["*.txt", "conf/*.txt"]',
      '    - shell: echo {{ item }} > {{ out }}/never',
      '      with_fileglob: ["*.nothing"]',
      '    - shell: echo {{ item | basename }} > {{ out }}/abs-{{ item | basename }}',
      '      with_fileglob: "{{ playbook_dir }}/files/*.conf"',
      '',
    ],
    expect: ['pb-b.txt', 'b'],
  },
  {
    name: 'meta: noop does nothing; end_host ends one host (its notified handlers do not run), the next play runs',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('task')}`,
      '      notify: h',
      '    - meta: noop',
      `    - ${log('after noop')}`,
      '    - meta: end_host',
      '      when: inventory_hostname == "h2"',
      `    - ${log('after end_host')}`,
      '  handlers:',
      '    - name: h',
      `      ${log('handler')}`,
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('play two')}`,
      '',
    ],
    expect: ['h2.log', 'task\nafter noop\nplay two'],
    sameCount: /^RUNNING HANDLER \[/gm,
  },
  {
    name: 'meta: end_play mid play ends it for every host (handlers notified before do not run), the next play runs',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('task')}`,
      '      notify: h',
      '    - meta: end_play',
      '      when: inventory_hostname == "h1"',
      `    - ${log('after end_play')}`,
      '  handlers:',
      '    - name: h',
      `      ${log('handler')}`,
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('play two')}`,
      '',
    ],
    expect: ['h1.log', 'task\nplay two'],
    sameCount: /^RUNNING HANDLER \[/gm,
  },
  {
    // ansible-playbook 2.14 runs end_play (like clear_host_errors, end_batch) once, for the first
    // host of the batch: its when: is evaluated for that host only.
    name: 'meta: end_play with a when true only on a later host does not end the play',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('task')}`,
      '    - meta: end_play',
      '      when: inventory_hostname == "h3"',
      `    - ${log('after end_play')}`,
      '',
    ],
    expect: ['h3.log', 'task\nafter end_play'],
  },
  {
    name: 'meta: end_play after flush_handlers: the handlers flushed before it ran',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('task')}`,
      '      notify: h',
      '    - meta: flush_handlers',
      '    - meta: end_play',
      `    - ${log('after end_play')}`,
      '  handlers:',
      '    - name: h',
      `      ${log('handler')}`,
      '',
    ],
    expect: ['h1.log', 'task\nhandler'],
  },
  {
    name: 'ansible_check_mode, ansible_diff_mode under --check --diff; ansible_play_hosts, _all and _batch with serial and a failed host',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  serial: 2',
      '  tasks:',
      `    - ${log('check={{ ansible_check_mode }} diff={{ ansible_diff_mode }}', '\n      check_mode: false')}`,
      '    - fail: msg=down',
      '      when: inventory_hostname == "h1"',
      `    - ${log('hosts={{ ansible_play_hosts | join(",") }} all={{ ansible_play_hosts_all | join(",") }} batch={{ ansible_play_batch | join(",") }} play_hosts={{ play_hosts | join(",") }}', '\n      check_mode: false')}`,
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('next play hosts={{ ansible_play_hosts | join(",") }} all={{ ansible_play_hosts_all | join(",") }}', '\n      check_mode: false')}`,
      '',
    ],
    args: ['--check', '--diff'],
    expect: ['h2.log', 'check=True diff=True'],
  },
  {
    // Ansible drops a repeated role at run time, per host, only once it has run a task there.
    name: 'a role dependency shared by two roles runs under the second when the first was skipped by when:',
    files: {
      'roles/common/tasks/main.yml': `- ${log('common')}\n`,
      'roles/a/meta/main.yml': 'dependencies: [common]\n',
      'roles/a/tasks/main.yml': `- ${log('a')}\n`,
      'roles/b/meta/main.yml': 'dependencies: [common]\n',
      'roles/b/tasks/main.yml': `- ${log('b')}\n`,
    },
    playbook: ['- hosts: h1', '  gather_facts: false', '  roles:', '    - {role: a, when: false}', '    - b', ''],
    expect: ['h1.log', 'common\nb'],
  },
  {
    name: 'a role dependency shared by two roles runs under the second when --tags filtered out the first',
    files: {
      'roles/common/tasks/main.yml': `- ${log('common')}\n`,
      'roles/a/meta/main.yml': 'dependencies: [common]\n',
      'roles/a/tasks/main.yml': `- ${log('a')}\n`,
      'roles/b/meta/main.yml': 'dependencies: [common]\n',
      'roles/b/tasks/main.yml': `- ${log('b')}\n`,
    },
    playbook: ['- hosts: h1', '  gather_facts: false', '  roles:', '    - {role: a, tags: [ta]}', '    - {role: b, tags: [tb]}', ''],
    args: ['--tags', 'tb'],
    expect: ['h1.log', 'common\nb'],
  },
  {
    name: 'hosts: templated with groups',
    playbook: [
      '- hosts: "{{ groups.test | last }}"',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('on {{ ansible_play_hosts | join(",") }}')}`,
      '',
    ],
    expect: ['h3.log', 'on h3'],
  },
  {
    name: 'ansible_check_mode and ansible_diff_mode are false in a normal run',
    playbook: ['- hosts: h1', '  gather_facts: false', '  tasks:', `    - ${log('check={{ ansible_check_mode }} diff={{ ansible_diff_mode }}')}`, ''],
    expect: ['h1.log', 'check=False diff=False'],
  },
];

/** The test inventory, or a copy of it with variables added to h1's line. */
function inventoryFor(c: Case): string {
  if (!c.h1InventoryVars) return th.inventoryFile;
  const text = readFileSync(th.inventoryFile, 'utf8').replace(/^(h1 .*)$/m, `$1 ${c.h1InventoryVars}`);
  const file = join(mkdtempSync(join(tmpdir(), 'sams-inv-')), 'inventory.ini');
  writeFileSync(file, text);
  return file;
}

describeSameAsAnsible(cases, inventoryFor);
