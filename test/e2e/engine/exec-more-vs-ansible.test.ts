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
