// Template syntax is checked when loading: a broken {{ }} or {% %} in any templated task, block or
// play value is a load error at the value (file:line:col, caret, hint), before any host is
// contacted. Valid Jinja that sams renders is not rejected. Ansible reports these only when the
// task runs; sams reports them all at once, up front.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { tryLoad, writeProject } from '../../helpers/load-project.js';

const root = mkdtempSync(join(tmpdir(), 'sams-load-tpl-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function load(files: Record<string, string>): string | undefined {
  return tryLoad(writeProject(root, files), { templar: true })?.text;
}

const playWith = (...taskLines: string[]) => ['- hosts: all', '  gather_facts: false', '  tasks:', ...taskLines, ''].join('\n');

describe('template syntax errors are load errors at the value', () => {
  test('an unclosed {{ in when:', () => {
    expect(load({ 'site.yml': playWith('    - debug: msg=hi', '      when: "{{ x"') })).toBe(
      [
        'site.yml:5:13: template syntax error in "{{ x": expected variable end in when',
        '  5 |       when: "{{ x"',
        '    |             ^',
        '  hint: every {{ needs its closing }} (and every {% its %}) in the same value',
      ].join('\n'),
    );
  });

  test('a filter bar without a filter in a module argument', () => {
    expect(load({ 'site.yml': playWith('    - debug:', '        msg: "{{ foo | }}"') })).toBe(
      [
        'site.yml:5:14: template syntax error in "{{ foo | }}": expected symbol, got variable-end in argument \'msg\'',
        '  5 |         msg: "{{ foo | }}"',
        '    |              ^',
        '  hint: fix the Jinja2 syntax of this value (a missing operand, name or bracket)',
      ].join('\n'),
    );
  });

  test('{% if %} without {% endif %} in free-form arguments', () => {
    const out = load({ 'site.yml': playWith('    - command: echo "{% if x %}yes"') })!;
    expect(out.split('\n')[0]).toMatch(/^site\.yml:4:16: template syntax error in "echo \\"\{% if x %\}yes\\"": .*endif.* in argument 'cmd'$/);
    expect(out).toContain('hint: close each {% if %} / {% for %} with its {% endif %} / {% endfor %} in the same value');
  });

  test('an unknown filter names the filter', () => {
    const out = load({ 'site.yml': playWith('    - debug:', '        msg: "{{ x | to_jsonn }}"') })!;
    expect(out.split('\n')[0]).toBe("site.yml:5:14: template syntax error in \"{{ x | to_jsonn }}\": no filter named 'to_jsonn' in argument 'msg'");
    expect(out).toContain('hint: check the filter name');
  });

  test('{# in shell text starts a Jinja comment', () => {
    const out = load({ 'site.yml': playWith('    - shell: echo ${#arr[@]}') })!;
    expect(out.split('\n')[0]).toMatch(/^site\.yml:4:14: template syntax error in .*end of comment/);
    expect(out).toContain('hint: "{#" starts a Jinja2 comment');
  });

  const cases: [string, string[], string][] = [
    ['a bare when: expression', ['    - debug: msg=hi', '      when: x =='], 'site.yml:5:13: template syntax error in "x ==": '],
    ['changed_when:', ['    - command: /bin/true', '      changed_when: "{{ a }} and {{ b"'], 'site.yml:5:21: template syntax error in "{{ a }} and {{ b": expected variable end in changed_when'],
    ['failed_when: in a list', ['    - command: /bin/true', '      failed_when:', '        - rc == 0', '        - rc ==('], 'site.yml:7:11: template syntax error in "rc ==(": '],
    ['until:', ['    - command: /bin/true', '      register: r', '      until: r.rc == ]'], 'site.yml:6:14: template syntax error in "r.rc == ]": '],
    ['loop:', ['    - debug: msg={{ item }}', '      loop: "{{ items"'], 'site.yml:5:13: template syntax error in "{{ items": expected variable end in loop'],
    ['with_items:', ['    - debug: msg={{ item }}', '      with_items: ["a", "{{ b"]'], 'site.yml:5:25: template syntax error in "{{ b": expected variable end in with_items'],
    ['a task name', ['    - name: "{{ broken"', '      debug: msg=hi'], 'site.yml:4:13: template syntax error in "{{ broken": expected variable end in name'],
    ['a keyword (become_user)', ['    - command: /bin/true', '      become_user: "{{ u"'], 'site.yml:5:20: template syntax error in "{{ u": expected variable end in become_user'],
    ['a nested argument', ['    - copy:', '        dest: /tmp/x', '        content:', '          a: ["{{ x }"]'], 'site.yml:7:15: template syntax error in "{{ x }": '],
    ['notify:', ['    - command: /bin/true', '      notify: "{{ h"'], 'site.yml:5:15: template syntax error in "{{ h": expected variable end in notify'],
  ];
  for (const [name, lines, first] of cases) {
    test(name, () => {
      const out = load({ 'site.yml': playWith(...lines) });
      expect(out?.split('\n')[0]).toContain(first);
      expect(out).toMatch(/\n {2}hint: \S/);
    });
  }

  test('block when:, play name and hosts are checked', () => {
    const out = load({
      'site.yml': ['- hosts: "{{ h"', '  name: "{% if %}"', '  tasks:', '    - block:', '        - debug: msg=hi', '      when: "{{ a"', ''].join('\n'),
    })!;
    expect(out).toContain('site.yml:1:10: template syntax error in "{{ h": expected variable end in hosts');
    expect(out).toMatch(/site\.yml:2:9: template syntax error in "\{% if %\}": .* in name/);
    expect(out).toContain('site.yml:6:13: template syntax error in "{{ a": expected variable end in when');
    expect(out).toMatch(/3 problems found; nothing was run\.$/);
  });

  test('a role task file, reported once when the role is listed twice', () => {
    const out = load({
      'site.yml': ['- hosts: all', '  roles:', '    - {role: r, x: 1}', '    - {role: r, x: 2}', ''].join('\n'),
      'roles/r/tasks/main.yml': '- debug:\n    msg: "{{ x"\n',
    })!;
    expect(out).toBe(
      [
        'roles/r/tasks/main.yml:2:10: template syntax error in "{{ x": expected variable end in argument \'msg\'',
        '  2 |     msg: "{{ x"',
        '    |          ^',
        '  hint: every {{ needs its closing }} (and every {% its %}) in the same value',
      ].join('\n'),
    );
  });

  test('handlers are checked', () => {
    const out = load({ 'site.yml': ['- hosts: all', '  tasks: []', '  handlers:', '    - name: restart', '      command: "{{ cmd"', ''].join('\n') })!;
    expect(out.split('\n')[0]).toBe('site.yml:5:16: template syntax error in "{{ cmd": expected variable end in argument \'cmd\'');
  });

  test('an included task file with a literal name is checked too', () => {
    const out = load({ 'site.yml': playWith('    - include_tasks: more.yml'), 'more.yml': '- debug:\n    msg: "{{ x"\n' })!;
    expect(out.split('\n')[0]).toBe('more.yml:2:10: template syntax error in "{{ x": expected variable end in argument \'msg\'');
  });
});

describe('valid Jinja is not rejected', () => {
  const valid: [string, string[]][] = [
    ['filters, tests and conditionals', ['    - debug:', "        msg: \"{{ (x | default([]) | map('upper') | list) if x is defined else 'none' }}\""]],
    ['a for loop with a set and a comment', ['    - debug:', '        msg: "{% for i in range(3) %}{% set y = i * 2 %}{{ y }}{# c #}{% endfor %}"']],
    ['raw blocks', ['    - debug:', '        msg: "{% raw %}{{ not a template{% endraw %}"']],
    ['Python methods and slices', ['    - debug:', "        msg: \"{{ 'a,b'.split(',')[::-1] | join('-') }} {{ d.get('k', 1) }}\""]],
    ['bare and braced conditions, lists of them', ['    - debug: msg=hi', "      when:", '        - x is defined', "        - \"{{ y | bool }}\"", '        - (a | int) > 1 and b not in c']],
    ['booleans and numbers as conditions', ['    - debug: msg=hi', '      when: true', '      changed_when: false', '      failed_when: 0']],
    ['lookups and query', ['    - debug:', "        msg: \"{{ lookup('env', 'HOME') }} {{ query('items', [1, 2]) }}\""]],
    ['a multi-line block scalar', ['    - debug:', '        msg: |', '          {% if a %}', '          yes', '          {% else %}', '          no', '          {% endif %}']],
    ['!unsafe text', ['    - debug:', '        msg: !unsafe "{{ not parsed"']],
    ['a loop of mappings with templates', ['    - debug: msg={{ item.a }}', '      loop:', '        - {a: "{{ x }}"}', '        - {a: plain}']],
    ['shell text with ${var} and $(cmd)', ['    - shell: echo ${HOME} $(date) {{ x }}']],
  ];
  for (const [name, lines] of valid) {
    test(name, () => {
      expect(load({ 'site.yml': playWith(...lines) })).toBeUndefined();
    });
  }
});
