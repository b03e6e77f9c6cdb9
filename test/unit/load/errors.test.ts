// Golden tests of load-time error messages: file:line:col, the source line with a caret, the hint.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { tryLoad, writeProject } from '../../helpers/load-project.js';
import { renderErrors } from '../../../src/cli/render-error.js';
import { isUserError } from '../../../src/errors.js';
import { loadPlaybook } from '../../../src/load/playbook.js';
import { createTemplar } from '../../../src/template/index.js';

const root = mkdtempSync(join(tmpdir(), 'sams-load-errors-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function project(files: Record<string, string>): string {
  return writeProject(root, files);
}

function loadError(files: Record<string, string>, playbook = 'site.yml'): string {
  const failure = tryLoad(project(files), { playbook });
  if (!failure) throw new Error('expected a load error');
  return failure.text;
}

describe('load errors point at the YAML', () => {
  test('unknown task keyword with a did-you-mean suggestion', () => {
    const out = loadError({
      'site.yml': ['- hosts: all', '  tasks:', '    - name: Restart', '      command: /bin/true', '      notfiy: restart', ''].join('\n'),
    });
    const lines = out.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      "site.yml:5:7: unknown keyword 'notfiy' in task (did you mean 'notify'?)",
      '  5 |       notfiy: restart',
      '    |       ^',
    ]);
    expect(lines[3]).toBe('  hint: a task holds one module plus keywords such as name, when, notify, register, loop, tags, vars');
    expect(lines).toHaveLength(4);
  });

  test('unknown module with a suggestion', () => {
    const out = loadError({ 'site.yml': ['- hosts: all', '  tasks:', '    - comand: ls', ''].join('\n') });
    expect(out.split('\n')[0]).toBe("site.yml:3:7: unknown module 'comand' (did you mean 'command'?)");
    expect(out).toContain('  3 |     - comand: ls');
    expect(out).toContain('    |       ^');
  });

  test('YAML syntax error names the line and hints at quoting {{ }}', () => {
    const out = loadError({ 'site.yml': ['- hosts: all', '  vars:', '    x: {{ y }}', ''].join('\n') });
    expect(out.split('\n')[0]).toMatch(/^site\.yml:3:\d+: YAML syntax error: /);
    expect(out).toContain('hint: a value that starts with {{ must be quoted: key: "{{ var }}"');
  });

  test('a notify that names no handler is an error before anything runs', () => {
    const out = loadError({
      'site.yml': ['- hosts: all', '  tasks:', '    - command: /bin/true', '      notify: restart dovecto', '  handlers:', '    - name: restart dovecot', '      command: /bin/true', ''].join('\n'),
    });
    expect(out.split('\n')[0]).toBe("site.yml:4:15: notify: no handler or listen topic named 'restart dovecto' in play 'all' (did you mean 'restart dovecot'?)");
  });

  test('unknown play keyword', () => {
    const out = loadError({ 'site.yml': ['- hosts: all', '  task:', '    - command: /bin/true', ''].join('\n') });
    expect(out.split('\n')[0]).toBe("site.yml:2:3: unknown play keyword 'task' (did you mean 'tasks'?)");
  });

  test('a missing role names the search path', () => {
    const out = loadError({ 'site.yml': ['- hosts: all', '  roles:', '    - nosuchrole', ''].join('\n') });
    expect(out.split('\n')[0]).toBe("site.yml:3:7: role 'nosuchrole' not found");
    expect(out).toMatch(/hint: looked in: .*\/roles/);
  });

  test('every problem is reported, not only the first', () => {
    const out = loadError({
      'site.yml': ['- hosts: all', '  tasks:', '    - comand: ls', '    - command: ls', '      whenn: x', '  handlerz: []', ''].join('\n'),
    });
    expect(out).toContain("site.yml:3:7: unknown module 'comand'");
    expect(out).toContain("site.yml:5:7: unknown keyword 'whenn' in task (did you mean 'when'?)");
    expect(out).toContain("site.yml:6:3: unknown play keyword 'handlerz' (did you mean 'handlers'?)");
    expect(out).toMatch(/3 problems found; nothing was run\.$/);
  });

  test('errors inside an imported task file point into that file', () => {
    const out = loadError({
      'site.yml': ['- hosts: all', '  tasks:', '    - import_tasks: more.yml', ''].join('\n'),
      'more.yml': ['- name: ok', '  command: /bin/true', '- name: bad', '  command: /bin/true', '  loopp: [1]', ''].join('\n'),
    });
    expect(out.split('\n')[0]).toBe("more.yml:5:3: unknown keyword 'loopp' in task (did you mean 'loop'?)");
  });

  test('a wrong argument type of a literal module argument', () => {
    const out = loadError({
      'site.yml': ['- hosts: all', '  tasks:', '    - command:', '        cmd: /bin/true', '        chdir: [a, b]', ''].join('\n'),
    });
    expect(out.split('\n')[0]).toMatch(/^site\.yml:5:16: module 'command': argument 'chdir': expected string, got a list/);
  });

  test('an unknown module argument', () => {
    const out = loadError({
      'site.yml': ['- hosts: all', '  tasks:', '    - command:', '        cmd: /bin/true', '        chdri: /tmp', ''].join('\n'),
    });
    expect(out.split('\n')[0]).toBe("site.yml:5:9: unknown argument 'chdri' for module 'command' (did you mean 'chdir'?)");
  });

  test('a templated argument is not checked at load time', () => {
    const dir = project({
      'site.yml': ['- hosts: all', '  tasks:', '    - command:', '        cmd: /bin/true', '        chdir: "{{ somewhere }}"', ''].join('\n'),
    });
    expect(() => loadPlaybook(join(dir, 'site.yml'), { root: dir, rolesPath: [], extraVars: {} })).not.toThrow();
  });

  test('a play without hosts', () => {
    const out = loadError({ 'site.yml': ['- name: nohosts', '  tasks: []', ''].join('\n') });
    expect(out.split('\n')[0]).toBe('site.yml:1:3: play has no hosts:');
  });

  test('meta with an unknown action', () => {
    const out = loadError({ 'site.yml': ['- hosts: all', '  tasks:', '    - meta: flush_handler', ''].join('\n') });
    expect(out.split('\n')[0]).toBe("site.yml:3:13: unknown meta action 'flush_handler' (did you mean 'flush_handlers'?)");
  });

  test('a number or a mapping in notify: is an error at the entry, with a hint', () => {
    const out = loadError({
      'site.yml': ['- hosts: all', '  tasks:', '    - command: /bin/true', '      notify: [1, {a: b}]', '  handlers:', '    - name: "1"', '      command: /bin/true', ''].join('\n'),
    });
    expect(out).toBe(
      [
        'site.yml:4:16: notify entries must be handler names or listen topics (strings), found number 1',
        '  4 |       notify: [1, {a: b}]',
        '    |                ^',
        '  hint: quote the name so that YAML reads it as text: notify: "1"',
        'site.yml:4:19: notify entries must be handler names or listen topics (strings), found a mapping',
        '  4 |       notify: [1, {a: b}]',
        '    |                   ^',
        '  hint: write each name as text, one per list item: notify: ["restart dovecot"]',
        '2 problems found; nothing was run.',
      ].join('\n'),
    );
  });

  test('an empty playbook is an error, as in Ansible', () => {
    const out = loadError({ 'site.yml': '# nothing yet\n' });
    expect(out).toBe(
      [
        'site.yml:1:1: empty playbook, nothing to do',
        '  1 | # nothing yet',
        '    | ^',
        '  hint: a playbook is a list of plays: start with "- hosts: PATTERN" followed by tasks:',
      ].join('\n'),
    );
  });

  test('an imported empty playbook points at the import', () => {
    const out = loadError({ 'site.yml': '- import_playbook: other.yml\n', 'other.yml': '' });
    expect(out.split('\n')[0]).toBe('site.yml:1:20: empty playbook, nothing to do');
    expect(out).toMatch(/hint: .*other\.yml holds no plays/);
  });

  test('import_playbook with an undefined variable says which variables it can see', () => {
    const dir = project({ 'site.yml': '- import_playbook: "{{ pb }}.yml"\n' });
    let out = '';
    try {
      loadPlaybook(join(dir, 'site.yml'), { root: dir, rolesPath: [], extraVars: {}, templar: createTemplar() });
    } catch (e) {
      if (!isUserError(e)) throw e;
      out = renderErrors(e, { color: false, cwd: dir });
    }
    expect(out.split('\n')[0]).toBe("site.yml:1:20: undefined variable 'pb' in import_playbook");
    expect(out).toContain('hint: import_playbook sees only extra vars (-e name=value) and the vars: of the import itself');
  });
});
