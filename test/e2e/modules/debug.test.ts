// debug end to end: msg, var (names, expressions, undefined), verbosity, compared with ansible-playbook.

import { describe, expect, test } from 'vitest';
import { ansiblePlay, play, useProject, type Json } from './core-helpers.js';

const p = useProject(1, 'debug');

const PLAYBOOK = [
  '- hosts: h1',
  '  gather_facts: false',
  '  vars:',
  '    greeting: hello',
  '    nums: [1, 2, 3]',
  '    nested: {a: {b: deep}}',
  '  tasks:',
  '    - name: msg',
  '      debug: msg="{{ greeting }} world"',
  '    - name: msg list',
  '      debug:',
  '        msg: ["{{ greeting }}", "{{ nested.a.b }}"]',
  '    - name: default',
  '      debug:',
  '    - name: var',
  '      debug: var=nums',
  '    - name: expression',
  '      debug: var=nested.a.b',
  '    - name: filter expression',
  "      debug:\n        var: nums | map('string') | join('-')",
  '    - name: undefined',
  '      debug: var=not_defined_anywhere',
  '    - name: verbose only',
  '      debug:',
  '        msg: only with -v',
  '        verbosity: 1',
  '',
].join('\n');

/** What the json callback shows of a debug result, without Ansible's private keys. */
function shownByAnsible(r: Json): Json {
  return Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_ansible') && k !== 'action' && k !== 'changed'));
}

describe('debug', () => {
  test('shows the same values as ansible-playbook', async () => {
    const [s, a] = await Promise.all([play(p, PLAYBOOK), ansiblePlay(p, PLAYBOOK)]);
    for (const task of ['msg', 'msg list', 'default', 'var', 'expression', 'filter expression', 'undefined']) {
      const r = s.result(task);
      expect(r.status, task).toBe('ok');
      expect(r.data, task).toEqual(shownByAnsible(a.result(task)));
    }
    expect(s.result('undefined').data).toEqual({ not_defined_anywhere: 'VARIABLE IS NOT DEFINED!' });
    expect(s.result('verbose only')).toMatchObject({ status: 'skipped', data: { skipped_reason: 'Verbosity threshold not met.' } });
    expect(a.result('verbose only')).toMatchObject({ skipped: true, skipped_reason: 'Verbosity threshold not met.' });
  });

  test('verbosity: shown at -v', async () => {
    const res = await play(p, PLAYBOOK, ['-v']);
    expect(res.result('verbose only')).toMatchObject({ status: 'ok', data: { msg: 'only with -v' } });
  });

  test('msg with var is a load-time error, exit 4', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - debug:', '        msg: a', '        var: b', ''].join('\n'));
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:6:\d+: .*'msg' and 'var' are incompatible options/);
  });
});
