// shell end to end: results as ansible-playbook's on the same host, creates idempotency, check
// mode, and argument errors at load time.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ansiblePlay, play, stable, useProject } from './core-helpers.js';

const p = useProject(1, 'shell');

const CASES: [string, string][] = [
  ['pipe', 'shell: echo hello | tr a-z A-Z'],
  ['redirect', 'shell: echo "$HOME" > {{ out }}/home.txt && cat {{ out }}/home.txt'],
  ['bash', "shell: echo ${BASH_VERSION:+bash} $0\n      args:\n        executable: /bin/bash"],
  ['chdir', 'shell: pwd; ls chdir={{ out }}'],
  ['multiline', 'shell: |-\n        echo one\n        echo two >&2\n        echo three'],
  ['stdin', 'shell: tr a-z A-Z\n      args:\n        stdin: abc'],
  ['skipped', 'shell: echo never creates=/etc/passwd'],
  ['failing', 'shell: echo partial; exit 7'],
];

function comparisonPlaybook(): string {
  const lines = ['- hosts: h1', '  gather_facts: false', '  tasks:'];
  for (const [name, task] of CASES) lines.push(`    - name: ${name}`, `      ${task}`, `      register: r_${name}`, '      ignore_errors: true');
  for (const [name] of CASES) lines.push(`    - debug: var=r_${name}`);
  return lines.join('\n') + '\n';
}

describe('shell', () => {
  test('registered results have the keys and values ansible-playbook gives', async () => {
    const outS = join(p.dir, 'out-sams');
    const outA = join(p.dir, 'out-ansible');
    mkdirSync(outS, { recursive: true });
    mkdirSync(outA, { recursive: true });
    const [s, a] = await Promise.all([play(p, comparisonPlaybook(), ['-e', `out=${outS}`]), ansiblePlay(p, comparisonPlaybook(), ['-e', `out=${outA}`])]);
    for (const [name] of CASES) {
      const norm = (v: unknown, out: string) => JSON.parse(JSON.stringify(stable(v)).split(out).join('<out>'));
      expect(norm(s.shown(`r_${name}`), outS), name).toEqual(norm(a.shown(`r_${name}`), outA));
    }
    expect(s.shown('r_failing')).toMatchObject({ failed: true, rc: 7, msg: 'non-zero return code', stdout: 'partial' });
  });

  test('creates: changed once, then ok; --check predicts it', async () => {
    const marker = join(p.th.host('h1').root, 'shell-made');
    const yaml = ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - name: make', `      shell: echo made > ${marker}`, '      args:', `        creates: ${marker}`, ''].join('\n');
    expect((await play(p, yaml, ['--check'])).result('make')).toMatchObject({ status: 'changed', check_only: true });
    expect(existsSync(marker)).toBe(false);
    expect((await play(p, yaml)).result('make').status).toBe('changed');
    expect(existsSync(marker)).toBe(true);
    expect((await play(p, yaml)).result('make').status).toBe('ok');
  });

  test('--check without creates/removes is skipped with the reason', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - name: opaque', '      shell: echo hi', ''].join('\n'), ['--check']);
    expect(res.result('opaque')).toMatchObject({ status: 'skipped', skip_reason: 'command cannot predict its effect in check mode; add creates: or removes:' });
  });

  test('an argument shell does not take is a load-time error, exit 4', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - shell: echo hi', '      args:', '        argv: [echo]', ''].join('\n'));
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:6:9: unknown argument 'argv' for module 'shell'/);
  });
});
