// ping end to end: pong over a real connection, data, data=crash, check mode.

import { describe, expect, test } from 'vitest';
import { ansiblePlay, play, stable, useProject } from './core-helpers.js';

const p = useProject(2, 'ping');

const PLAYBOOK = [
  '- hosts: test',
  '  gather_facts: false',
  '  tasks:',
  '    - name: pong',
  '      ping:',
  '      register: r_pong',
  '    - name: data',
  '      ping: data=hello',
  '      register: r_data',
  '    - name: crash',
  '      ping: data=crash',
  '      register: r_crash',
  '      ignore_errors: true',
  '    - debug: var=r_pong',
  '    - debug: var=r_data',
  '',
].join('\n');

describe('ping', () => {
  test('answers pong on every host, as ansible-playbook’s', async () => {
    const [s, a] = await Promise.all([play(p, PLAYBOOK), ansiblePlay(p, PLAYBOOK)]);
    for (const h of ['h1', 'h2']) {
      expect(s.result('pong', h)).toMatchObject({ status: 'ok', data: { ping: 'pong' } });
      expect(stable(s.shown('r_pong', h))).toEqual(stable(a.shown('r_pong', h)));
      expect(stable(s.shown('r_data', h))).toEqual(stable(a.shown('r_data', h)));
    }
    expect(s.result('crash')).toMatchObject({ status: 'failed', ignored: true, msg: (a.result('crash') as { msg: string }).msg });
    expect(s.code).toBe(0);
  });

  test('runs in check mode too (it changes nothing)', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - name: pong', '      ping:', ''].join('\n'), ['--check']);
    expect(res.result('pong')).toMatchObject({ status: 'ok', data: { ping: 'pong' } });
  });

  test('an unknown argument is a load-time error, exit 4', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - ping: date=x', ''].join('\n'));
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:4:\d+: unknown argument 'date' for module 'ping' \(did you mean 'data'\?\)/);
  });
});
