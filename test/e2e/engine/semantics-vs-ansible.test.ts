// Task and play keywords pinned against real ansible-playbook: the same playbook runs with both
// tools on the same sshd hosts; recaps, exit codes and every file the tasks write must be equal.

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
const log = (text: string, extra = '') => `shell: echo "${text}" >> {{ out }}/{{ inventory_hostname }}.log${extra}`;

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
    name: 'handlers: definition order, once per host, only where changed, listen topics, chains, flush_handlers',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('task one')}`,
      '      notify: [second handler, first handler]',
      '      changed_when: inventory_hostname != "h3"',
      `    - ${log('task two')}`,
      '      notify: first handler',
      '    - meta: flush_handlers',
      `    - ${log('after flush')}`,
      '      notify: topic a',
      '      changed_when: true',
      '  handlers:',
      `    - name: first handler`,
      `      ${log('first handler')}`,
      `      notify: chained handler`,
      `    - name: second handler`,
      `      ${log('second handler')}`,
      `    - name: chained handler`,
      `      ${log('chained handler')}`,
      `    - name: listener one`,
      `      ${log('listener one')}`,
      '      listen: topic a',
      `    - name: listener two`,
      `      ${log('listener two')}`,
      '      listen: topic a',
      '',
    ],
    expect: ['h1.log', 'first handler\nsecond handler\nchained handler'],
  },
  {
    name: 'block/rescue/always with ansible_failed_task, nested blocks, a failing rescue',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      '    - block:',
      `        - ${log('in block')}`,
      '        - command: /bin/false',
      '          when: inventory_hostname != "h1"',
      `        - ${log('not reached on h2 h3')}`,
      '      rescue:',
      `        - ${log('rescue {{ ansible_failed_task.name }}')}`,
      '        - block:',
      '            - command: /bin/false',
      '              when: inventory_hostname == "h3"',
      '          always:',
      `            - ${log('inner always')}`,
      '      always:',
      `        - ${log('outer always')}`,
      `    - ${log('after the block')}`,
      '',
    ],
    expect: ['h2.log', 'rescue'],
  },
  {
    name: 'loops: when per item, register results, loop_control, with_items/dict/together/sequence/subelements',
    playbook: [
      '- hosts: h1',
      '  gather_facts: false',
      '  vars:',
      '    users: [{name: a, groups: [x, y]}, {name: b, groups: []}, {name: c, groups: [z]}]',
      '  tasks:',
      '    - shell: echo {{ item }}',
      '      loop: [1, 2, 3, 4]',
      '      when: item is even',
      '      register: r',
      `    - ${log("{{ r.results | map(attribute='item') | list }} {{ r.results | map(attribute='changed') | list }} {{ r.changed }}")}`,
      `    - ${log('{{ idx }}:{{ u.name }}')}`,
      '      loop: "{{ users }}"',
      '      loop_control: {loop_var: u, index_var: idx, label: "{{ u.name }}"}',
      `    - ${log('items {{ item }}')}`,
      '      with_items: [[1, 2], 3]',
      `    - ${log('dict {{ item.key }}={{ item.value }}')}`,
      '      with_dict: {k1: v1, k2: v2}',
      `    - ${log('together {{ item.0 }}-{{ item.1 }}')}`,
      '      with_together: [[a, b], [1, 2]]',
      `    - ${log('seq {{ item }}')}`,
      '      with_sequence: start=1 end=3 format=n%02d',
      `    - ${log('sub {{ item.0.name }}:{{ item.1 }}')}`,
      '      with_subelements: ["{{ users }}", groups]',
      `    - ${log('first={{ ansible_loop.first }} last={{ ansible_loop.last }} {{ ansible_loop.index }}/{{ ansible_loop.length }}')}`,
      '      loop: [p, q]',
      '      loop_control: {extended: true}',
      '',
    ],
    expect: ['h1.log', '0:a'],
  },
  {
    name: 'until/retries, changed_when/failed_when with the registered result, ignore_errors',
    playbook: [
      '- hosts: h1',
      '  gather_facts: false',
      '  tasks:',
      '    - shell: echo x >> {{ out }}/count; wc -l < {{ out }}/count',
      '      register: c',
      '      until: c.stdout | int >= 3',
      '      retries: 5',
      '      delay: 0',
      `    - ${log('attempts {{ c.attempts }} {{ c.stdout }}')}`,
      '    - shell: exit 3',
      '      register: e',
      '      failed_when: e.rc not in [0, 3]',
      '      changed_when: false',
      `    - ${log('rc {{ e.rc }} failed {{ e.failed }} changed {{ e.changed }}')}`,
      '    - command: /bin/false',
      '      ignore_errors: true',
      '      register: ig',
      `    - ${log('ignored failed={{ ig.failed }} rc={{ ig.rc }}')}`,
      '    - shell: echo fine',
      '      register: f',
      '      failed_when: "\'fine\' in f.stdout"',
      '      ignore_errors: yes',
      `    - ${log('forced failure {{ f.failed }}')}`,
      '',
    ],
    expect: ['h1.log', 'attempts 3'],
  },
  {
    name: 'variable precedence: role defaults < inventory < play vars < role vars < block < task < set_fact < extra vars',
    files: {
      'roles/prec/defaults/main.yml': 'a: role_default\nb: role_default\nc: role_default\nd: role_default\ne: role_default\nf: role_default\n',
      'roles/prec/vars/main.yml': 'd: role_vars\n',
      'roles/prec/tasks/main.yml': [
        '- block:',
        '    - set_fact:',
        '        f: set_fact',
        `    - ${log('a={{ a }} b={{ b }} c={{ c }} d={{ d }} e={{ e }} f={{ f }} x={{ x }}')}`,
        '      vars:',
        '        e: task',
        '  vars:',
        '    e: block',
        '',
      ].join('\n'),
      'group_vars/test.yml': 'b: group_vars\n',
      'host_vars/h1.yml': 'c: host_vars\n',
    },
    playbook: ['- hosts: h1', '  gather_facts: false', '  vars:', '    c: play', '    x: play', '  roles:', '    - prec', ''],
    args: ['-e', 'x=extra'],
    expect: ['h1.log', 'x=extra'],
  },
  {
    name: 'tags: --tags with always and never, --skip-tags',
    playbook: [
      '- hosts: h1',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('always')}`,
      '      tags: always',
      `    - ${log('tagged a')}`,
      '      tags: a',
      `    - ${log('tagged b')}`,
      '      tags: [b]',
      `    - ${log('never+debug')}`,
      '      tags: [never, debug]',
      `    - ${log('untagged')}`,
      '    - block:',
      `        - ${log('block a')}`,
      '      tags: a',
      '',
    ],
    args: ['--tags', 'a,debug', '--skip-tags', 'b'],
    expect: ['h1.log', 'never+debug'],
  },
  {
    name: 'serial batches, ansible_play_batch, run_once, delegate_to localhost',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  serial: [1, 2]',
      '  tasks:',
      `    - ${log('batch {{ ansible_play_batch | join(",") }}')}`,
      '    - shell: echo once-{{ inventory_hostname }} >> {{ out }}/once.log',
      '      run_once: true',
      '      register: once',
      `    - ${log('saw {{ once.stdout is defined }}')}`,
      '    - shell: echo "delegated for {{ inventory_hostname }}" >> {{ out }}/local-{{ inventory_hostname }}.log',
      '      delegate_to: localhost',
      '',
    ],
    expect: ['once.log', 'once-h1'],
  },
  {
    name: 'any_errors_fatal stops every host after the failing task',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  any_errors_fatal: true',
      '  tasks:',
      `    - ${log('first')}`,
      '    - command: /bin/false',
      '      when: inventory_hostname == "h2"',
      `    - ${log('never reached')}`,
      '',
    ],
    expect: ['h1.log', 'first'],
  },
  {
    name: 'max_fail_percentage',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  max_fail_percentage: 40',
      '  tasks:',
      '    - command: /bin/false',
      '      when: inventory_hostname == "h1"',
      `    - ${log('second')}`,
      '    - command: /bin/false',
      '      when: inventory_hostname == "h2"',
      `    - ${log('third')}`,
      '',
    ],
    expect: ['h2.log', 'second'],
  },
  {
    name: 'include_tasks with a loop and vars, include_role, import_role with tags, end_host',
    files: {
      'inc.yml': `- ${log('included {{ item }} {{ incvar }}')}\n`,
      'roles/r/tasks/main.yml': `- ${log('role r {{ rvar }}')}\n- ${log('role r second')}\n  tags: rsecond\n`,
      'roles/r/defaults/main.yml': 'rvar: default\n',
    },
    playbook: [
      '- hosts: h1,h2',
      '  gather_facts: false',
      '  tasks:',
      '    - include_tasks: inc.yml',
      '      loop: [x, y]',
      '      vars:',
      '        incvar: v',
      '    - include_role:',
      '        name: r',
      '      vars:',
      '        rvar: from-include',
      '    - import_role:',
      '        name: r',
      '      tags: imported',
      '    - meta: end_host',
      '      when: inventory_hostname == "h2"',
      `    - ${log('after end_host')}`,
      '',
    ],
    expect: ['h1.log', 'included x v'],
  },
  {
    name: 'check mode: commands are skipped and registered as skipped, check_mode: false runs for real',
    playbook: [
      '- hosts: h1',
      '  gather_facts: false',
      '  tasks:',
      '    - command: echo would run',
      '      register: r',
      `    - ${log('skipped={{ r.skipped | default(false) }} changed={{ r.changed }}')}`,
      '      check_mode: false',
      '    - command: echo {{ ansible_check_mode }}',
      '      check_mode: false',
      '      register: c',
      `    - ${log('check_mode var {{ c.stdout }}')}`,
      '      check_mode: false',
      '',
    ],
    args: ['--check'],
    expect: ['h1.log', 'check_mode var True'],
  },
  {
    name: 'check_mode: true on a task plans it in a normal run',
    playbook: [
      '- hosts: h1',
      '  gather_facts: false',
      '  tasks:',
      '    - copy: {content: "planned only\\n", dest: "{{ out }}/never-written"}',
      '      check_mode: true',
      '      register: planned',
      `    - ${log('planned changed={{ planned.changed }} exists={{ lookup("pipe", "test -e " + out + "/never-written && echo yes || echo no") }}')}`,
      '    - copy: {content: "written\\n", dest: "{{ out }}/written"}',
      '',
    ],
    expect: ['h1.log', 'planned changed=True exists=no'],
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
