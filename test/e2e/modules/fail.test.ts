// fail end to end: default and custom messages, conditions, exit codes, compared with ansible-playbook.

import { describe, expect, test } from 'vitest';
import { ansiblePlay, play, stable, useProject } from './core-helpers.js';

const p = useProject(2, 'fail');

const PLAYBOOK = [
  '- hosts: test',
  '  gather_facts: false',
  '  tasks:',
  '    - name: default message',
  '      fail:',
  '      register: r_default',
  '      ignore_errors: true',
  '    - name: custom',
  '      fail: msg="stop on {{ inventory_hostname }}"',
  '      register: r_custom',
  '      ignore_errors: true',
  '    - debug: var=r_default',
  '    - debug: var=r_custom',
  '    - name: only h2',
  '      fail: msg="h2 is broken"',
  '      when: inventory_hostname == "h2"',
  '    - name: after',
  '      debug: msg="still here"',
  '',
].join('\n');

describe('fail', () => {
  test('fails with Ansible’s messages; the failing host stops, exit 2', async () => {
    const [s, a] = await Promise.all([play(p, PLAYBOOK), ansiblePlay(p, PLAYBOOK)]);
    for (const v of ['r_default', 'r_custom']) expect(stable(s.shown(v)), v).toEqual(stable(a.shown(v)));
    expect(s.shown('r_default')).toEqual({ changed: false, failed: true, msg: 'Failed as requested from task' });
    expect(s.result('only h2', 'h1').status).toBe('skipped');
    expect(s.result('only h2', 'h2')).toMatchObject({ status: 'failed', msg: 'h2 is broken' });
    expect(s.result('after', 'h1').status).toBe('ok');
    expect(s.results.some((r) => r.task === 'after' && r.host === 'h2')).toBe(false);
    expect(s.code).toBe(2);
    expect(s.code).toBe(a.code);
  });

  test('an unknown argument is a load-time error, exit 4', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - fail: message=x', ''].join('\n'));
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:4:\d+: unknown argument 'message' for module 'fail'/);
  });
});
