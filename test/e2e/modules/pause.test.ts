// pause end to end: waits the given time; with a prompt and no terminal, goes on at once with
// Ansible's warning; result keys as ansible-playbook's.

import { describe, expect, test } from 'vitest';
import { ansiblePlay, play, publicKeys, useProject } from './core-helpers.js';

const p = useProject(1, 'pause');

const PLAYBOOK = [
  '- hosts: h1',
  '  gather_facts: false',
  '  tasks:',
  '    - name: wait',
  '      pause: seconds=1',
  '      register: r_wait',
  '    - name: ask',
  '      pause:',
  '        prompt: Continue?',
  '      register: r_ask',
  '    - debug: var=r_wait',
  '    - debug: var=r_ask',
  '',
].join('\n');

describe('pause', () => {
  test('waits the seconds given; a prompt without a terminal does not wait', async () => {
    const t0 = Date.now();
    const [s, a] = await Promise.all([play(p, PLAYBOOK), ansiblePlay(p, PLAYBOOK)]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    const wait = s.result('wait');
    expect(wait).toMatchObject({ status: 'ok', data: { delta: 1, echo: true, user_input: '', rc: 0 } });
    expect(String(wait.data?.stdout)).toMatch(/^Paused for 1\.0\d? seconds$/);
    expect(s.result('ask')).toMatchObject({ status: 'ok', data: { delta: 0, stdout: 'Paused for 0.0 minutes', user_input: '' } });
    const warnings = s.events.filter((e) => e.event === 'warning').map((e) => String(e.message));
    expect(warnings.some((w) => w.includes('Not waiting for response to prompt as stdin is not interactive'))).toBe(true);
    for (const v of ['r_wait', 'r_ask']) expect(publicKeys(s.shown(v)), v).toEqual(publicKeys(a.shown(v)));
    expect((a.shown('r_ask') as { stdout: string }).stdout).toBe('Paused for 0.0 minutes');
  });

  test('minutes with seconds is a load-time error, exit 4', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - pause: minutes=1 seconds=2', ''].join('\n'));
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:4:\d+: .*mutually exclusive: minutes\|seconds/);
  });
});
