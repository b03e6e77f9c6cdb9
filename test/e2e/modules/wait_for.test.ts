// wait_for end to end on a real host: ports, files, regex groups, timeouts (messages as
// ansible-playbook's), check mode.

import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { freePort } from '../../helpers/sshd.js';
import { ansiblePlay, play, stable, useProject } from './core-helpers.js';

const p = useProject(1, 'wait-for');

describe('wait_for', () => {
  test('ports and files, as ansible-playbook reports them', async () => {
    const h = p.th.host('h1');
    const closed = await freePort(h.address);
    const root = h.root;
    const yaml = (tag: string) =>
      [
        '- hosts: h1',
        '  gather_facts: false',
        '  tasks:',
        // The host's own sshd port is open; a free port is closed.
        '    - name: port open',
        `      wait_for: host=${h.address} port=${h.port} timeout=10`,
        '      register: r_open',
        '    - name: port closed',
        `      wait_for: host=${h.address} port=${closed} state=stopped timeout=10`,
        '      register: r_closed',
        '    - name: start writer',
        `      shell: (sleep 1; printf 'booting\\nready pid=77 on 8080\\n' > ${root}/${tag}.log) >/dev/null 2>&1 &`,
        '    - name: file with pattern',
        `      wait_for: path=${root}/${tag}.log search_regex="pid=(?P<pid>\\d+) on (\\d+)" timeout=20`,
        '      register: r_regex',
        '    - name: absent',
        `      wait_for: path=${root}/${tag}.none state=absent timeout=5`,
        '      register: r_absent',
        '    - name: times out',
        `      wait_for: path=${root}/${tag}.never timeout=1`,
        '      register: r_timeout',
        '      ignore_errors: true',
        '    - name: port times out',
        `      wait_for: host=${h.address} port=${closed} timeout=1 connect_timeout=1`,
        '      register: r_port_timeout',
        '      ignore_errors: true',
        '    - debug: var=r_open',
        '    - debug: var=r_closed',
        '    - debug: var=r_regex',
        '    - debug: var=r_absent',
        '    - debug: var=r_timeout',
        '    - debug: var=r_port_timeout',
        '',
      ].join('\n');
    const [s, a] = await Promise.all([play(p, yaml('sams')), ansiblePlay(p, yaml('ansible'))]);
    for (const v of ['r_open', 'r_closed', 'r_regex', 'r_absent', 'r_timeout', 'r_port_timeout']) {
      const norm = (x: unknown, tag: string) => JSON.parse(JSON.stringify(stable(x)).split(`${root}/${tag}`).join('<f>'));
      expect(norm(s.shown(v), 'sams'), v).toEqual(norm(a.shown(v), 'ansible'));
    }
    expect(s.shown('r_regex')).toMatchObject({ match_groups: ['77', '8080'], match_groupdict: { pid: '77' } });
    expect((s.shown('r_regex') as { elapsed: number }).elapsed).toBeGreaterThanOrEqual(0);
    expect(s.shown('r_timeout')).toMatchObject({ failed: true, msg: `Timeout when waiting for file ${join(root, 'sams.never')}`, elapsed: 1 });
  });

  test('is skipped in check mode', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - name: wait', '      wait_for: path=/nonexistent timeout=30', ''].join('\n'), ['--check']);
    expect(res.result('wait').status).toBe('skipped');
  });

  test('contradictory arguments are a load-time error, exit 4', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - wait_for: path=/x state=drained', ''].join('\n'));
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:4:\d+: .*state=drained should only be used for checking a port/);
  });
});
