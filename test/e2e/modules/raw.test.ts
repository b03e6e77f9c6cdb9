// raw end to end: the text runs as written, always changed, never in check mode.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ansiblePlay, play, publicKeys, useProject } from './core-helpers.js';

const p = useProject(1, 'raw');

const PLAYBOOK = [
  '- hosts: h1',
  '  gather_facts: false',
  '  tasks:',
  '    - name: text',
  "      raw: echo $((40+2)) | tr 4 X; echo 'to stderr' >&2",
  '      register: r_text',
  '    - name: bash',
  '      raw: echo ${BASH_VERSION:+bash}',
  '      args:',
  '        executable: /bin/bash',
  '      register: r_bash',
  '    - name: failing',
  '      raw: exit 3',
  '      register: r_failing',
  '      ignore_errors: true',
  '    - debug: var=r_text',
  '    - debug: var=r_bash',
  '    - debug: var=r_failing',
  '',
].join('\n');

describe('raw', () => {
  test('runs the text as is; results have ansible-playbook’s keys', async () => {
    const [s, a] = await Promise.all([play(p, PLAYBOOK), ansiblePlay(p, PLAYBOOK)]);
    expect(s.result('text')).toMatchObject({ status: 'changed', rc: 0, stdout: 'X2\n' });
    expect(s.result('bash')).toMatchObject({ status: 'changed', stdout: 'bash\n' });
    for (const v of ['r_text', 'r_bash', 'r_failing']) expect(publicKeys(s.shown(v)), v).toEqual(publicKeys(a.shown(v)));
    // Ansible runs raw on a pty (ssh -tt): stderr lands in stdout with \r\n line ends. sams keeps
    // the streams apart; the text is the same.
    const st = s.shown('r_text') as Record<string, string>;
    const at = a.shown('r_text') as Record<string, string>;
    expect(at.stdout.replace(/\r/g, '')).toBe(`${st.stdout}${st.stderr}`);
    expect(s.shown('r_failing')).toMatchObject({ failed: true, changed: true, rc: 3, msg: 'non-zero return code' });
    expect(a.shown('r_failing')).toMatchObject({ failed: true, changed: true, rc: 3, msg: 'non-zero return code' });
  });

  test('is skipped in check mode and runs nothing', async () => {
    const f = join(p.th.host('h1').root, 'raw-never');
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - name: touch', `      raw: touch ${f}`, ''].join('\n'), ['--check']);
    expect(res.result('touch').status).toBe('skipped');
    expect(existsSync(f)).toBe(false);
  });

  test('takes no creates/chdir: a load-time error, exit 4', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - raw: ls chdir=/tmp', ''].join('\n'));
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:4:\d+: unknown argument 'chdir' for module 'raw'/);
  });
});
