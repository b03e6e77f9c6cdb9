// Roles that come back in one play, pinned against real ansible-playbook 2.14 on the same sshd
// hosts: Ansible keeps one role per identity (role, params, the entry's when/tags/vars, *_from,
// from import/include_role or not) and skips a repeat on a host once a task of that role ran
// there (ok, changed or failed; not skipped) and the role's tasks ended. Recaps, exit codes and
// every file written must match, and so must the TASK banners.

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

type Case = AnsibleCase;

/** Roles a and b both depend on common; each task logs the role's name. */
const shared: Record<string, string> = {
  'roles/common/tasks/main.yml': `- ${log('common')}\n`,
  'roles/a/meta/main.yml': 'dependencies: [common]\n',
  'roles/a/tasks/main.yml': `- ${log('a')}\n`,
  'roles/b/meta/main.yml': 'dependencies: [common]\n',
  'roles/b/tasks/main.yml': `- ${log('b')}\n`,
  'roles/r/tasks/main.yml': `- ${log('r {{ x | default("-") }}')}\n`,
};

const cases: Case[] = [
  {
    name: 'a shared dependency runs on each host under the first parent that ran it there',
    files: shared,
    playbook: ['- hosts: test', '  gather_facts: false', '  roles:', '    - {role: a, when: inventory_hostname == "h1"}', '    - b', '    - common', ''],
    expect: [
      ['h1.log', 'common\na\nb'],
      ['h2.log', 'common\nb'],
    ],
  },
  {
    name: 'the same shared dependency under --tags of both parents runs once',
    files: shared,
    playbook: ['- hosts: h1', '  gather_facts: false', '  roles:', '    - {role: a, tags: [ta]}', '    - {role: b, tags: [tb]}', ''],
    args: ['--tags', 'ta,tb'],
    expect: [['h1.log', 'common\na\nb']],
  },
  {
    name: 'a role listed twice in roles: runs once with the same params, again with other params, tags, when or vars',
    files: shared,
    playbook: [
      '- hosts: h1:h2',
      '  gather_facts: false',
      '  roles:',
      '    - r',
      '    - r',
      '    - {role: r, x: 1}',
      '    - {role: r, x: 1}',
      '    - {role: r, tags: [t]}',
      '    - {role: r, when: true}',
      '    - {role: r, vars: {z: 1}}',
      '    - {role: r, become: false}',
      '',
    ],
    expect: [['h2.log', 'r -\nr 1\nr -\nr -\nr -\n']],
  },
  {
    name: 'a role whose tasks were all skipped by their own when has not run: its repeat runs',
    files: {
      'roles/c/tasks/main.yml': `- ${log('c {{ n }}', '\n  when: n == 2')}\n`,
      'roles/p/meta/main.yml': 'dependencies: [c]\n',
      'roles/p/tasks/main.yml': `- set_fact: {n: 2}\n- ${log('p')}\n`,
      'roles/q/meta/main.yml': 'dependencies: [c]\n',
      'roles/q/tasks/main.yml': `- ${log('q')}\n`,
    },
    playbook: ['- hosts: h1', '  gather_facts: false', '  vars: {n: 1}', '  roles: [p, q]', ''],
    expect: [['h1.log', 'p\nc 2\nq']],
  },
  {
    name: 'a role whose only task failed and was ignored has run: its repeat is skipped',
    files: {
      'roles/f/tasks/main.yml': `- ${log('f')}\n- command: /bin/false\n  ignore_errors: true\n`,
      'roles/f2/tasks/main.yml': `- command: /bin/false\n  ignore_errors: true\n- ${log('f2 after')}\n  when: false\n`,
      'roles/g/meta/main.yml': 'dependencies: [f2]\n',
      'roles/g/tasks/main.yml': `- ${log('g')}\n`,
    },
    playbook: ['- hosts: h1', '  gather_facts: false', '  roles: [f2, g, f, f]', ''],
    expect: [['h1.log', 'g\nf\n']],
  },
  {
    name: 'meta allow_duplicates: true runs every repeat',
    files: {
      'roles/d/meta/main.yml': 'allow_duplicates: true\n',
      'roles/d/tasks/main.yml': `- ${log('d')}\n`,
    },
    playbook: ['- hosts: h1', '  gather_facts: false', '  roles: [d, d]', ''],
    expect: [['h1.log', 'd\nd\n']],
  },
  {
    name: 'include_role and import_role run a role that already ran; allow_duplicates: false skips a repeat (the last load of the role sets it, as in Ansible)',
    files: shared,
    playbook: [
      '- hosts: h1',
      '  gather_facts: false',
      '  roles: [r]',
      '  tasks:',
      '    - include_role: {name: r}',
      '    - import_role: {name: r}',
      '    - import_role: {name: r, allow_duplicates: false}',
      '    - include_role: {name: r, allow_duplicates: false}',
      '    - import_role: {name: common}',
      '    - import_role: {name: common}',
      '',
    ],
    expect: [['h1.log', 'r -\nr -\nr -\nr -\ncommon\ncommon\n']],
  },
  {
    name: 'dependencies of an included role are the play roles\' dependencies: one that ran is skipped',
    files: shared,
    playbook: [
      '- hosts: h1:h2',
      '  gather_facts: false',
      '  roles:',
      '    - {role: a, when: inventory_hostname == "h1"}',
      '  tasks:',
      '    - include_role: {name: b}',
      '',
    ],
    expect: [
      ['h1.log', 'common\na\nb\n'],
      ['h2.log', 'common\nb\n'],
    ],
  },
  {
    name: 'the handlers of a role listed twice run once',
    files: {
      'roles/hh/tasks/main.yml': `- ${log('hh')}\n  notify: hh handler\n`,
      'roles/hh/handlers/main.yml': `- name: hh handler\n  ${log('handler')}\n`,
    },
    playbook: ['- hosts: h1', '  gather_facts: false', '  roles: [hh, hh]', ''],
    expect: [['h1.log', 'hh\nhandler\n']],
  },
  {
    name: 'a handler name notified from a role listed twice with other params runs once: the last loaded handler of that name',
    files: {
      'roles/hp/tasks/main.yml': `- ${log('hp {{ x }}')}\n  notify: hp handler\n  changed_when: true\n`,
      'roles/hp/handlers/main.yml': `- name: hp handler\n  ${log('handler {{ x }}')}\n`,
    },
    playbook: ['- hosts: h1', '  gather_facts: false', '  roles:', '    - {role: hp, x: 1}', '    - {role: hp, x: 2}', ''],
    expect: [['h1.log', 'hp 1\nhp 2\nhandler 2\n']],
  },
  {
    name: 'play handlers sharing a name: the first of them runs; listeners of a topic all run',
    playbook: [
      '- hosts: h1',
      '  gather_facts: false',
      '  tasks:',
      `    - ${log('task')}`,
      '      notify: [same, topic]',
      '  handlers:',
      `    - name: same`,
      `      ${log('first same')}`,
      `    - name: same`,
      `      ${log('second same')}`,
      `    - name: l1`,
      `      ${log('listener one')}`,
      '      listen: topic',
      `    - name: l2`,
      `      ${log('listener two')}`,
      '      listen: topic',
      '',
    ],
    expect: [['h1.log', 'task\nfirst same\nlistener one\nlistener two\n']],
  },
  {
    name: 'a shared dependency under the free strategy runs on each host under the first parent that ran it there',
    files: shared,
    playbook: ['- hosts: test', '  gather_facts: false', '  strategy: free', '  roles:', '    - {role: a, when: inventory_hostname != "h2"}', '    - b', ''],
    expect: [
      ['h1.log', 'common\na\nb'],
      ['h2.log', 'common\nb'],
    ],
  },
];

// Under the free strategy the banners interleave by timing: only the linear ones are compared.
describeSameAsAnsible(cases, () => th.inventoryFile, {
  title: 'repeated roles run as in ansible-playbook',
  sameBanners: (c) => !c.playbook.some((l) => /strategy: free/.test(l)),
});
