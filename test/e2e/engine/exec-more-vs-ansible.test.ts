// More engine behaviour pinned against real ansible-playbook (issue #3): the same playbook runs
// with both tools on the same sshd hosts; recaps, exit codes and every file the tasks write must
// be equal.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runSams, writeTree } from '../../helpers/run-cli.js';
import { compareWithAnsible } from '../../helpers/compare.js';
import { describeSameAsAnsible, logTask as log, type AnsibleCase } from '../../helpers/ansible-cases.js';

let th: TestHosts;
beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(3);
});
afterAll(async () => th?.stop());


type Case = AnsibleCase;

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
  {
    name: 'ansible_failed_result in rescue: rc, msg, stdout and keys of a failed shell, a fail task and a failed command',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      '    - block:',
      '        - shell: "echo out; echo err >&2; exit 3"',
      '          when: inventory_hostname == "h1"',
      '        - fail: msg="custom failure"',
      '          when: inventory_hostname == "h2"',
      '        - command: ls /nonexistent-sams-dir',
      '          when: inventory_hostname == "h3"',
      '      rescue:',
      '        - copy:',
      '            dest: "{{ out }}/{{ inventory_hostname }}.failed"',
      // Ansible's internal keys (_ansible_no_log, _ansible_parsed) and its module invocation are left out.
      `            content: "{{ ansible_failed_result.rc | default('NORC') }}|{{ ansible_failed_result.msg }}|{{ ansible_failed_result.stdout | default('NOOUT') }}|{{ ansible_failed_result.stderr_lines | default('NOERR') }}|{{ ansible_failed_result.failed }}|{{ ansible_failed_result.changed }}|{{ ansible_failed_result.keys() | reject('match', '_|invocation$') | sort | list }}\\n"`,
      '',
    ],
    expect: ['h1.failed', "3|non-zero return code|out|['err']|True|True"],
  },
  {
    name: 'environment: play, block and task levels merge, the innermost wins, shell tasks see it',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  environment: {PLAYV: play, BOTH: play}',
      '  tasks:',
      '    - block:',
      `        - shell: echo "$PLAYV $BOTH \${BLOCKV:-none} \${TASKV:-none}" >> {{ out }}/{{ inventory_hostname }}.env`,
      `        - shell: echo "$PLAYV $BOTH \${BLOCKV:-none} \${TASKV:-none}" >> {{ out }}/{{ inventory_hostname }}.env`,
      '          environment: {TASKV: task, BOTH: task}',
      '      environment: {BLOCKV: block, BOTH: block}',
      `    - shell: echo "$PLAYV $BOTH \${BLOCKV:-none} \${TASKV:-none}" >> {{ out }}/{{ inventory_hostname }}.env`,
      '    - command: printenv TASKV',
      '      environment: {TASKV: "{{ inventory_hostname }}-templated"}',
      '      register: pe',
      `    - ${log('command {{ pe.stdout }}')}`,
      '',
    ],
    expect: ['h1.env', 'play block block none\nplay task block task\nplay play none none'],
  },
  {
    name: 'notify from a loop where only some items changed: the handler runs once, only on hosts with a changed item',
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      '    - shell: echo {{ item }}',
      '      loop: [1, 2, 3]',
      '      changed_when: (item == 2 and inventory_hostname != "h2") or (item == 3 and inventory_hostname == "h3")',
      '      notify: loop handler',
      '  handlers:',
      '    - name: loop handler',
      `      ${log('handler ran')}`,
      '',
    ],
    expect: ['h1.log', 'handler ran'],
  },
  {
    name: 'delegate_to another inventory host: runs there (its connection vars), inventory_hostname stays the original host',
    // HOME is set per host by each test sshd, so it names the host whose sshd ran the command.
    playbook: [
      '- hosts: h1:h2',
      '  gather_facts: false',
      '  tasks:',
      '    - shell: echo "{{ inventory_hostname }} {{ ansible_host }} $HOME" >> {{ out }}/delegated.{{ inventory_hostname }}',
      '      delegate_to: h3',
      '    - shell: echo "{{ inventory_hostname }} $HOME" >> {{ out }}/self.{{ inventory_hostname }}',
      '',
    ],
    expect: ['delegated.h1', '/hosts/h3/home'],
  },
  {
    name: 'exit code 4 when a host is unreachable, even with a failed host; both stay in the next play\'s ansible_play_hosts_all',
    files: { 'host_vars/h3.yml': 'ansible_port: 1\n' },
    playbook: [
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      '    - ping:',
      '    - command: /bin/false',
      '      when: inventory_hostname == "h2"',
      `    - ${log('after')}`,
      // Only h1 is left; the failed and the unreachable host still count as the play's hosts.
      '- hosts: test',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('second play {{ ansible_play_hosts_all }} {{ ansible_play_hosts }}')}`,
      '',
    ],
    expect: ['h1.log', "second play ['h1', 'h2', 'h3'] ['h1']"],
  },
];

describeSameAsAnsible(cases, () => th.inventoryFile);

describe('exit codes', () => {
  test.each([
    ['a YAML syntax error', ['- hosts: test', '  tasks:', '    - debug: msg=x', '   bad: indent', '']],
    ['an unknown module', ['- hosts: test', '  gather_facts: false', '  tasks:', '    - nosuchmodule: x=1', '']],
  ])('4 for a playbook that cannot be loaded (%s), as ansible-playbook', async (_what, playbook) => {
    const { sams, ansible } = await compareWithAnsible(th.inventoryFile, playbook.join('\n'));
    const ctx = `\n--- sams:\n${sams.res.stdout}\n${sams.res.stderr}\n--- ansible:\n${ansible.res.stdout}\n${ansible.res.stderr}`;
    expect(ansible.res.code, ctx).toBe(4);
    expect(sams.res.code, ctx).toBe(4);
  });

  test('3 for --check --exit-code-on-change when something would change, 0 when nothing would', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sams-exit3-'));
    const target = join(th.host('h1').root, `exit3-${Date.now()}`);
    const playbook = (content: string) =>
      ['- hosts: test', '  gather_facts: false', '  tasks:', '    - copy:', `        dest: "${target}-{{ inventory_hostname }}"`, `        content: "${content}"`, ''].join('\n');
    writeTree(dir, { 'site.yml': playbook('one\\n') });
    const args = ['play', 'site.yml', '-i', th.inventoryFile];
    const checking = await runSams([...args, '--check', '--exit-code-on-change'], { cwd: dir });
    expect(checking.code, checking.stdout + checking.stderr).toBe(3);
    const applied = await runSams(args, { cwd: dir });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const again = await runSams([...args, '--check', '--exit-code-on-change'], { cwd: dir });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    writeTree(dir, { 'site.yml': playbook('two\\n') });
    const changedAgain = await runSams([...args, '--check', '--exit-code-on-change'], { cwd: dir });
    expect(changedAgain.code, changedAgain.stdout + changedAgain.stderr).toBe(3);
  });
});
