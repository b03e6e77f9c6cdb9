// command end to end: registered results as ansible-playbook's on the same host, creates/removes
// idempotency, check mode, and argument errors at load time.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ansiblePlay, play, stable, useProject } from './core-helpers.js';

const p = useProject(1, 'command');

const CASES: [string, string][] = [
  ['plain', 'command: echo hello   world'],
  ['argv', "command:\n        argv: [printf, '%s|', 'a b', \"c'd\", '$HOME']"],
  ['chdir', 'command: pwd chdir={{ out }}'],
  ['stdin', 'command: cat\n      args:\n        stdin: line one'],
  ['stdin_raw', 'command: od -c\n      args:\n        stdin: "no newline"\n        stdin_add_newline: false'],
  ['nostrip', "command: printf 'x\\n\\n'\n      args:\n        strip_empty_ends: false"],
  ['created', 'command: touch {{ out }}/made creates={{ out }}/made'],
  ['skipped', 'command: touch {{ out }}/made creates={{ out }}/m*e'],
  ['rskip', 'command: rm {{ out }}/nothing removes={{ out }}/nothing'],
  ['failing', 'command: ls /nonexistent-sams'],
  ['missing', 'command: no-such-program-sams --flag'],
  ['badchdir', 'command: pwd chdir=/nonexistent-sams'],
];

function comparisonPlaybook(): string {
  const lines = ['- hosts: h1', '  gather_facts: false', '  tasks:'];
  for (const [name, task] of CASES) lines.push(`    - name: ${name}`, `      ${task}`, `      register: r_${name}`, '      ignore_errors: true');
  for (const [name] of CASES) lines.push(`    - debug: var=r_${name}`);
  return lines.join('\n') + '\n';
}

describe('command', () => {
  test('registered results have the keys and values ansible-playbook gives', async () => {
    const outS = join(p.dir, 'out-sams');
    const outA = join(p.dir, 'out-ansible');
    mkdirSync(outS, { recursive: true });
    mkdirSync(outA, { recursive: true });
    const [s, a] = await Promise.all([play(p, comparisonPlaybook(), ['-e', `out=${outS}`]), ansiblePlay(p, comparisonPlaybook(), ['-e', `out=${outA}`])]);
    for (const [name] of CASES) {
      const norm = (v: unknown, out: string) => JSON.parse(JSON.stringify(stable(v)).split(out).join('<out>'));
      const [sv, av] = [norm(s.shown(`r_${name}`), outS), norm(a.shown(`r_${name}`), outA)];
      expect(sv, name).toEqual(av);
    }
    // start/end/delta are present when the command ran, in Python's formats.
    const plain = s.shown('r_plain') as Record<string, string>;
    expect(plain.start).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    expect(plain.delta).toMatch(/^0:00:00\.\d{6}$/);
    // The same recap: a missing program changed nothing (changed: false, as Ansible).
    expect(s.recap().h1).toEqual(a.recap().h1);
  });

  test('creates: first run changes, the second is ok; --check predicts both', async () => {
    const marker = join(p.th.host('h1').root, 'created-once');
    const yaml = ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - name: make it', `      command: touch ${marker} creates=${marker}`, ''].join('\n');
    const check1 = await play(p, yaml, ['--check']);
    expect(check1.result('make it')).toMatchObject({ status: 'changed', check_only: true, data: { msg: 'Command would have run if not in check mode' } });
    expect(existsSync(marker)).toBe(false);
    const run1 = await play(p, yaml);
    expect(run1.result('make it')).toMatchObject({ status: 'changed', rc: 0 });
    expect(existsSync(marker)).toBe(true);
    const run2 = await play(p, yaml);
    expect(run2.result('make it')).toMatchObject({ status: 'ok', data: { msg: `Did not run command since '${marker}' exists` } });
    const check2 = await play(p, yaml, ['--check']);
    expect(check2.result('make it')).toMatchObject({ status: 'ok', data: { msg: `Would not run command since '${marker}' exists` } });
  });

  test('--check without creates/removes: skipped with the reason, nothing runs', async () => {
    const f = join(p.th.host('h1').root, 'never-made');
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - name: unpredictable', `      command: touch ${f}`, ''].join('\n'), ['--check']);
    expect(res.result('unpredictable')).toMatchObject({ status: 'skipped', skip_reason: 'command cannot predict its effect in check mode; add creates: or removes:' });
    expect(existsSync(f)).toBe(false);
    expect(res.code).toBe(0);
  });

  test('bad arguments are load-time errors at their file:line:col, exit 4', async () => {
    const res = await play(p, ['- hosts: h1', '  gather_facts: false', '  tasks:', '    - command: ls warn=no', '    - command:', '        chdir: /tmp', ''].join('\n'));
    expect(res.code).toBe(4);
    expect(res.stderr).toContain("site.yml:4:16: unknown argument 'warn' for module 'command'");
    expect(res.stderr).toMatch(/site\.yml:6:\d+: .*no command given/);
    expect(res.results).toEqual([]);
  });
});
