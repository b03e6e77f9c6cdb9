// The free strategy pinned against real ansible-playbook 2.14 on the same sshd hosts: run_once is
// not supported there (a warning; the task runs on every host, and each host's result is applied
// to the others as a run_once result). Recaps, exit codes and every file written must match.

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

const WARNING = 'Using run_once with the free strategy is not currently supported.';

describe('strategy: free as in ansible-playbook', () => {
  test('run_once under free warns and runs on every host; a later read sees the result of the last host that ran it', async () => {
    // h1 reaches the run_once tasks first and h3 last (2 s apart); every host reads the values
    // right after (its own result) and again once all hosts are past them (h3's).
    const delay = (d: string) => `shell: "sleep {{ {'h1': ${d}}[inventory_hostname] }}"`;
    const playbook = [
      '- hosts: test',
      '  gather_facts: false',
      '  strategy: free',
      '  tasks:',
      `    - ${delay("0, 'h2': 2, 'h3': 4")}`,
      '    - shell: echo {{ inventory_hostname }}',
      '      run_once: true',
      '      register: r',
      '    - set_fact: {who: "{{ inventory_hostname }}"}',
      '      run_once: true',
      '    - shell: echo "own={{ r.stdout }} fact={{ who }}" >> {{ out }}/{{ inventory_hostname }}.log',
      `    - ${delay("6, 'h2': 4, 'h3': 2")}`,
      '    - shell: echo "later={{ r.stdout }} fact={{ who }}" >> {{ out }}/{{ inventory_hostname }}.log',
      '',
    ];
    const { sams, ansible } = await compareWithAnsible(th.inventoryFile, playbook.join('\n'));
    const ctx = `\n--- sams stdout:\n${sams.res.stdout}\n${sams.res.stderr}\n--- ansible stdout:\n${ansible.res.stdout}\n${ansible.res.stderr}`;
    expect(ansible.files['h1.log'], ctx).toBe('own=h1 fact=h1\nlater=h3 fact=h3\n');
    expect(sams.files, ctx).toEqual(ansible.files);
    expect(sams.recap, ctx).toEqual(ansible.recap);
    expect(sams.res.code, ctx).toBe(ansible.res.code);
    expect(ansible.res.stdout + ansible.res.stderr, ctx).toContain(WARNING);
    // Once per run, as Ansible's display prints a warning once.
    expect((sams.res.stdout + sams.res.stderr).split(WARNING).length - 1, ctx).toBe(1);
  });
});
