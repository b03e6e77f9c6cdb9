// More engine behaviour pinned against real ansible-playbook (issue #3): the same playbook runs
// with both tools on the same sshd hosts; recaps, exit codes and every file the tasks write must
// be equal.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';
import { ensureBuilt } from '../../helpers/run-cli.js';
import { compareWithAnsible } from '../../helpers/compare.js';

let th: TestHosts;
beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(3);
});
afterAll(async () => th?.stop());

/** A shell task appending a line to the host's log file in the output directory. */
const log = (text: string) => `shell: echo "${text}" >> {{ out }}/{{ inventory_hostname }}.log`;

interface Case {
  name: string;
  playbook: string[];
  files?: Record<string, string>;
  args?: string[];
  /** A file the run must have written, and text it must contain (so the comparison is never vacuous). */
  expect: [string, string];
}

const cases: Case[] = [
  {
    name: 'meta: clear_host_errors brings back a host that failed in an earlier play (for the plays after)',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      '    - command: /bin/false',
      '      when: inventory_hostname == "h2"',
      `    - ${log('play one')}`,
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('play two {{ ansible_play_hosts_all }} {{ ansible_play_hosts }}')}`,
      '    - meta: clear_host_errors',
      `    - ${log('play two after clear {{ ansible_play_hosts }}')}`,
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('play three {{ ansible_play_hosts }}')}`,
      '',
    ],
    expect: ['h2.log', 'play three'],
  },
  {
    name: 'a host that failed in an earlier play stays out without clear_host_errors (exit 2)',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      '    - command: /bin/false',
      '      when: inventory_hostname == "h2"',
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('play two {{ ansible_play_hosts_all }} {{ ansible_play_hosts }}')}`,
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('play three {{ ansible_play_hosts }}')}`,
      '',
    ],
    expect: ['h1.log', "play three ['h1', 'h3']"],
  },
  {
    name: 'registered loop results: top-level and item keys for completed, failed, partly and wholly skipped, empty and check-mode loops',
    playbook: [
      '- hosts: h1',
      '  gather_facts: false',
      '  tasks:',
      '    - command: echo {{ item }}',
      '      loop: [1, 2]',
      '      register: done',
      '    - shell: exit {{ item }}',
      '      loop: [0, 1]',
      '      register: failing',
      '      ignore_errors: true',
      '    - command: echo {{ item }}',
      '      loop: [1, 2]',
      '      when: item == 2',
      '      register: partly',
      '    - command: echo {{ item }}',
      '      loop: [1, 2]',
      '      when: false',
      '      register: wholly',
      '    - command: echo {{ item }}',
      '      loop: []',
      '      register: empty',
      '    - command: echo {{ item }}',
      '      loop: [1]',
      '      register: checking',
      '      check_mode: true',
      '    - debug: msg=x',
      '      loop: [1]',
      '      register: dbg',
      // Keys, and the values that do not depend on the clock (module invocations are Ansible's own).
      ...['done', 'failing', 'partly', 'wholly', 'checking', 'dbg'].flatMap((v) => [
        `    - ${log(`${v} {{ ${v}.keys() | sort | list }} {{ ${v}.changed }} {{ ${v}.skipped }} {{ ${v}.failed | default('UNDEF') }} {{ ${v}.msg }}`)}`,
        `    - ${log(`${v} items {{ ${v}.results | map('dict2items') | map('map', attribute='key') | map('reject', 'equalto', 'invocation') | map('sort') | map('list') | list }}`)}`,
      ]),
      `    - ${log("empty {{ empty | to_json }}")}`,
      `    - ${log("partly skipped item {{ partly.results[0] | to_json }}")}`,
      '',
    ],
    // (the shell echo drops the JSON quotes)
    expect: ['h1.log', 'empty {changed: false, skipped: true, skipped_reason: No items in the list, results: []}'],
  },
  {
    name: 'ansible_loop only with loop_control.extended; previtem and nextitem undefined at the ends',
    playbook: [
      '- hosts: h1',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('plain {{ ansible_loop is defined }} {{ item }}')}`,
      '      loop: [a]',
      `    - ${log("extended {{ ansible_loop.index }} {{ ansible_loop.previtem | default('UNDEF') }} {{ ansible_loop.nextitem | default('UNDEF') }} {{ ansible_loop.allitems }} {{ ansible_loop.revindex }}")}`,
      '      loop: [a, b, c]',
      '      loop_control: {extended: true}',
      '',
    ],
    expect: ['h1.log', 'extended 1 UNDEF b'],
  },
  {
    name: 'a command skipped in check mode registers Ansible keys (stdout_lines, msg, no skip_reason)',
    playbook: [
      '- hosts: h1',
      '  gather_facts: false',
      '  tasks:',
      '    - command: echo hi',
      '      register: c',
      '      check_mode: true',
      '    - shell: echo hi',
      '      register: s',
      '      check_mode: true',
      `    - ${log('command {{ c | dictsort | to_json }}')}`,
      `    - ${log("shell {{ s | dictsort | to_json }}")}`,
      '',
    ],
    expect: ['h1.log', 'Command would have run if not in check mode'],
  },
  {
    name: 'vars: on include_tasks and include_role are include params (above set_fact, task, block and role vars); recap counts of includes',
    files: {
      'inc.yml': [
        `- ${log('inc {{ iv }}')}`,
        `- ${log('inc task vars {{ iv }}')}`,
        '  vars: {iv: task}',
        '- block:',
        `    - ${log('inc block vars {{ iv }}')}`,
        '  vars: {iv: block}',
        '',
      ].join('\n'),
      'roles/r1/tasks/main.yml': `- ${log("role {{ rv }} {{ tv }}")}\n`,
      'roles/r1/defaults/main.yml': 'rv: default\n',
      'roles/r1/vars/main.yml': 'tv: rolevars\n',
    },
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      '    - set_fact: {iv: fact, rv: fact, tv: fact}',
      '      when: inventory_hostname != "h3"',
      '    - include_tasks: inc.yml',
      '      vars: {iv: include}',
      '    - include_role: {name: r1}',
      '      vars: {rv: include, tv: include}',
      '    - include_role: {name: r1}',
      '      when: inventory_hostname != "h3"',
      '    - include_tasks: inc.yml',
      '      vars: {iv: "{{ item }}"}',
      '      loop: [l1, l2]',
      '    - include_tasks: inc.yml',
      '      loop: []',
      '    - include_role: {name: r1}',
      '      when: false',
      '',
    ],
    expect: ['h1.log', 'inc task vars include'],
  },
];

describe('same results as ansible-playbook', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const { sams, ansible } = await compareWithAnsible(th.inventoryFile, c.playbook.join('\n'), { files: c.files, args: c.args });
      const ctx = `\n--- sams stdout:\n${sams.res.stdout}\n${sams.res.stderr}\n--- ansible stdout:\n${ansible.res.stdout}`;
      expect(ansible.files[c.expect[0]], `ansible wrote ${c.expect[0]}${ctx}`).toContain(c.expect[1]);
      expect(sams.files, ctx).toEqual(ansible.files);
      expect(sams.recap, ctx).toEqual(ansible.recap);
      expect(sams.res.code, ctx).toBe(ansible.res.code);
    });
  }
});
