// set_fact end to end: facts visible to later tasks, their precedence, booleans from strings,
// the registered result, compared with ansible-playbook. (Expressions that give numbers are left
// out: sams keeps native types where Ansible 2.14 returns strings; that is the templar's choice.)

import { describe, expect, test } from 'vitest';
import { ansiblePlay, play, stable, useProject } from './core-helpers.js';
import { writeTree } from '../../helpers/run-cli.js';

const p = useProject(2, 'set-fact');

const PLAYBOOK = [
  '- hosts: test',
  '  gather_facts: false',
  '  vars:',
  '    color: blue',
  '  tasks:',
  '    - name: set',
  '      set_fact:',
  '        color: red',
  '        port: 8080',
  '        items: "{{ [inventory_hostname, 2] }}"',
  '        enabled: "yes"',
  '        word: "maybe"',
  '      register: r_set',
  '    - name: free-form',
  '      set_fact: greeting=hi count=3 flag=false',
  '    - name: accumulate',
  '      set_fact:',
  '        acc: "{{ (acc | default([])) + [item] }}"',
  '      loop: [a, b, c]',
  '    - name: cacheable',
  '      set_fact:',
  '        kept: yes',
  '        cacheable: yes',
  '    - debug: var=r_set',
  '    - name: show',
  '      debug:',
  '        msg: "{{ [color, port, port is number, items, enabled, enabled is sameas true, word, greeting, count, flag, acc, kept] }}"',
  '',
].join('\n');

describe('set_fact', () => {
  test('later tasks see the facts, as in ansible-playbook', async () => {
    const [s, a] = await Promise.all([play(p, PLAYBOOK), ansiblePlay(p, PLAYBOOK)]);
    for (const h of ['h1', 'h2']) {
      expect(s.result('show', h).data?.msg, h).toEqual((a.result('show', h) as { msg: unknown }).msg);
      expect(stable(s.shown('r_set', h))).toEqual(stable(a.shown('r_set', h)));
    }
    expect(s.result('show', 'h2').data?.msg).toEqual(['red', 8080, true, ['h2', 2], true, true, 'maybe', 'hi', '3', false, ['a', 'b', 'c'], true]);
    expect(s.result('set').status).toBe('ok');
    expect(s.code).toBe(0);
  });

  // Ansible keeps set_fact (non-cacheable) and include_vars values out of ansible_facts and the ansible_* names.
  test('set_fact and include_vars create no ansible_* variables', async () => {
    writeTree(p.dir, { 'extra-vars.yml': 'bar: 2\n' });
    const yaml = ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - set_fact: foo=1', '    - include_vars: extra-vars.yml', '    - name: show', '      debug:',
      '        msg: "{{ [foo, bar, ansible_foo is defined, ansible_facts.foo is defined, ansible_bar is defined, ansible_facts.bar is defined] }}"', ''].join('\n');
    const [s, a] = await Promise.all([play(p, yaml), ansiblePlay(p, yaml)]);
    expect(s.result('show').data?.msg).toEqual(['1', 2, false, false, false, false]);
    expect(s.result('show').data?.msg).toEqual((a.result('show') as { msg: unknown }).msg);
  });

  test('an invalid variable name is a load-time error, exit 4', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - set_fact:', '        bad-name: 1', ''].join('\n'));
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:5:\d+: .*The variable name 'bad-name' is not valid/);
  });
});
