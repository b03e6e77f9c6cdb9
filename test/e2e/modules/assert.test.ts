// assert end to end: passing and failing assertions, messages, compared with ansible-playbook.

import { describe, expect, test } from 'vitest';
import { ansiblePlay, play, stable, useProject } from './core-helpers.js';

const p = useProject(1, 'assert');

const PLAYBOOK = [
  '- hosts: h1',
  '  gather_facts: false',
  '  vars:',
  '    n: 3',
  '    name: web01',
  '  tasks:',
  '    - name: passes',
  '      assert:',
  '        that:',
  '          - n == 3',
  '          - name is match("web")',
  '          - "{{ n > 1 }}"',
  '      register: r_pass',
  '    - name: custom success',
  '      assert:',
  '        that: n is number',
  '        success_msg: fine',
  '        quiet: true',
  '      register: r_quiet',
  '    - name: fails',
  '      assert:',
  '        that:',
  '          - n == 3',
  '          - n > 5',
  '        fail_msg: n too small',
  '      register: r_fail',
  '      ignore_errors: true',
  '    - name: fails with msg',
  '      assert: { that: "name == \'db\'", msg: not a db }',
  '      register: r_msg',
  '      ignore_errors: true',
  '    - debug: var=r_pass',
  '    - debug: var=r_quiet',
  '    - debug: var=r_fail',
  '    - debug: var=r_msg',
  '',
].join('\n');

describe('assert', () => {
  test('registered results are ansible-playbook’s', async () => {
    const [s, a] = await Promise.all([play(p, PLAYBOOK), ansiblePlay(p, PLAYBOOK)]);
    for (const v of ['r_pass', 'r_quiet', 'r_fail', 'r_msg']) expect(stable(s.shown(v)), v).toEqual(stable(a.shown(v)));
    expect(s.shown('r_fail')).toMatchObject({ failed: true, assertion: 'n > 5', evaluated_to: false, msg: 'n too small' });
    expect(s.result('passes')).toMatchObject({ status: 'ok', msg: 'All assertions passed' });
  });

  test('a failing assertion fails the host: exit 2', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - name: nope', '      assert: { that: 1 == 2 }', '    - name: after', '      debug: msg=never', ''].join('\n'));
    expect(res.result('nope')).toMatchObject({ status: 'failed', msg: 'Assertion failed' });
    expect(res.results.some((r) => r.task === 'after')).toBe(false);
    expect(res.code).toBe(2);
  });

  test('without that: a load-time error, exit 4', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - assert:', '        msg: x', ''].join('\n'));
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:\d+:\d+: .*conditional required in "that" string/);
  });
});
