// PLAY and TASK banners pinned against real ansible-playbook 2.14 on the same sshd hosts: the play
// name templated with play vars and extra vars (as written when a variable is undefined), and the
// names of include_role / include_tasks tasks. Banners, recaps and exit codes must match.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHosts, type TestHosts } from '../../helpers/sshd.js';
import { ensureBuilt } from '../../helpers/run-cli.js';
import { compareWithAnsible } from '../../helpers/compare.js';

let th: TestHosts;
beforeAll(async () => {
  ensureBuilt();
  th = await startTestHosts(1);
});
afterAll(async () => th?.stop());

/** The PLAY / TASK banners of a run, in order, without their trailing stars. */
const banners = (stdout: string) => stdout.split('\n').filter((l) => /^(PLAY|TASK) \[/.test(l)).map((l) => l.replace(/ \**$/, ''));

interface Case {
  name: string;
  playbook: string[];
  files?: Record<string, string>;
  args?: string[];
  /** A banner ansible-playbook must print (so the comparison is never vacuous). */
  expect: string;
}

const cases: Case[] = [
  {
    name: 'the PLAY banner shows the name templated with play vars and extra vars',
    playbook: ['- name: "deploy {{ app }} to {{ env }}"', '  hosts: h1', '  gather_facts: false', '  vars: {app: web}', '  tasks: [{debug: msg=x}]', ''],
    args: ['-e', 'env=prod'],
    expect: 'PLAY [deploy web to prod]',
  },
  {
    name: 'the PLAY banner shows the name as written when it uses an undefined (or per-host) variable',
    playbook: ['- name: "on {{ inventory_hostname }} {{ nothing }}"', '  hosts: h1', '  gather_facts: false', '  tasks: [{debug: msg=x}]', ''],
    expect: 'PLAY [on {{ inventory_hostname }} {{ nothing }}]',
  },
  {
    name: 'an unnamed include_role is "include_role : ROLE" (as written, also in a role); a named one shows its name; include_tasks its action',
    files: {
      'roles/r1/tasks/main.yml': '- debug: msg=r1\n',
      'roles/outer/tasks/main.yml': '- include_role: name=r1\n- name: named inside\n  include_role: name=r1\n- include_tasks: t.yml\n',
      'roles/outer/tasks/t.yml': '- debug: msg=t\n',
      't.yml': '- debug: msg=t\n',
    },
    playbook: [
      '- hosts: h1',
      '  gather_facts: false',
      '  vars: {rn: r1}',
      '  roles: [outer]',
      '  tasks:',
      '    - include_role: name=r1',
      '    - ansible.builtin.include_role: {name: r1}',
      '    - include_role: name={{ rn }}',
      '    - name: named include',
      '      include_role: name=r1',
      '    - import_role: name=r1',
      '    - include_tasks: t.yml',
      '    - ansible.builtin.include_tasks: t.yml',
      '',
    ],
    expect: 'TASK [include_role : {{ rn }}]',
  },
];

describe('banners as ansible-playbook prints them', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const { sams, ansible } = await compareWithAnsible(th.inventoryFile, c.playbook.join('\n'), { files: c.files, args: c.args });
      const ctx = `\n--- sams stdout:\n${sams.res.stdout}\n${sams.res.stderr}\n--- ansible stdout:\n${ansible.res.stdout}`;
      expect(banners(ansible.res.stdout), `ansible printed ${c.expect}${ctx}`).toContain(c.expect);
      expect(banners(sams.res.stdout), ctx).toEqual(banners(ansible.res.stdout));
      expect(sams.recap, ctx).toEqual(ansible.recap);
      expect(sams.res.code, ctx).toBe(ansible.res.code);
    });
  }
});
