// Every load error says where (file:line:col), shows the source line with a caret, and ends with a
// hint saying what to do: one case per kind of mistake the loader reports.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { tryLoad, writeProject, type LoadFailure } from '../../helpers/load-project.js';

const root = mkdtempSync(join(tmpdir(), 'sams-load-hints-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function errorsOf(files: Record<string, string>): LoadFailure {
  const failure = tryLoad(writeProject(root, files), { templar: true });
  if (!failure) throw new Error('expected a load error');
  return failure;
}

const play = (...lines: string[]) => ['- hosts: all', '  gather_facts: false', ...lines, ''].join('\n');

// [name, files, first line of the output, the hint]
const cases: [string, Record<string, string>, string, string | RegExp][] = [
  ['a play that is not a mapping', { 'site.yml': '- just text\n' }, 'site.yml:1:3: a play must be a mapping with hosts:', /^write each play as "- hosts: PATTERN"/],
  ['import_playbook without a file', { 'site.yml': '- import_playbook:\n' }, 'site.yml:1:19: import_playbook needs a file name', 'write "- import_playbook: other.yml" (a path relative to this playbook)'],
  ['an unknown keyword on import_playbook', { 'site.yml': '- import_playbook: b.yml\n  become: true\n', 'b.yml': play('  tasks: []') }, "site.yml:2:3: unknown keyword 'become' with import_playbook", /^import_playbook takes only name, tags, vars and when/],
  ['an import_playbook cycle', { 'site.yml': '- import_playbook: b.yml\n', 'b.yml': '- import_playbook: site.yml\n' }, 'b.yml:1:20: import_playbook cycle: ', /^a playbook cannot import itself/],
  ['vars_prompt that is not a list', { 'site.yml': play('  vars_prompt: x') }, 'site.yml:3:16: vars_prompt must be a list', /^write each prompt as a list item/],
  ['a vars_prompt entry without name', { 'site.yml': play('  vars_prompt:', '    - prompt: Password?') }, 'site.yml:4:7: each vars_prompt entry needs name:', /^give the variable/],
  ['roles that are not a list', { 'site.yml': play('  roles: web') }, 'site.yml:3:10: roles must be a list', /^write each role as a list item/],
  ['a role entry without role:', { 'site.yml': play('  roles:', '    - {tags: x}') }, 'site.yml:4:7: role entry needs role: NAME', /^add "role: NAME"/],
  ['a role entry that is a list', { 'site.yml': play('  roles:', '    - [a]') }, 'site.yml:4:7: a role entry must be a name or a mapping with role:', /^write "- NAME" or "- role: NAME"/],
  ['a role dependency cycle', { 'site.yml': play('  roles: [a]'), 'roles/a/meta/main.yml': 'dependencies: [b]\n', 'roles/b/meta/main.yml': 'dependencies: [a]\n' }, 'roles/b/meta/main.yml:1:16: role dependency cycle: ', /^remove one of these dependencies/],
  ['meta that is not a mapping', { 'site.yml': play('  roles: [a]'), 'roles/a/meta/main.yml': '- x\n' }, 'roles/a/meta/main.yml:1:1: meta/main.yml must be a mapping', /^write its keys at the top level/],
  ['dependencies that are not a list', { 'site.yml': play('  roles: [a]'), 'roles/a/meta/main.yml': 'dependencies: b\n' }, 'roles/a/meta/main.yml:1:15: dependencies must be a list of roles', /^write each dependency as a list item/],
  ['tasks_from that does not exist', { 'site.yml': play('  tasks:', '    - import_role: {name: a, tasks_from: nope}'), 'roles/a/tasks/main.yml': '- debug: msg=x\n' }, 'site.yml:4:27: tasks_from: nope not found in ', 'create tasks/nope.yml in the role, or name a file that exists there'],
  ['an unknown import_role argument', { 'site.yml': play('  tasks:', '    - import_role: {name: a, when: x}'), 'roles/a/tasks/main.yml': '- debug: msg=x\n' }, "site.yml:4:30: unknown argument 'when' for import_role", /keywords such as when or tags go on the task/],
  ['import_role without name', { 'site.yml': play('  tasks:', '    - import_role: {tasks_from: x}') }, 'site.yml:4:20: import_role needs name:', /^write "import_role: name=ROLE"/],
  ['tags that are not strings', { 'site.yml': play('  tasks:', '    - debug: msg=x', '      tags: [{a: b}]') }, 'site.yml:5:13: tags must be strings, found {"a":"b"}', /^write tags as names/],
  ['vars that are not a mapping', { 'site.yml': play('  tasks:', '    - debug: msg=x', '      vars: [1]') }, 'site.yml:5:13: vars must be a mapping of names to values', /^indent one "name: value" per line under vars:/],
  ['a name that is a list', { 'site.yml': play('  tasks:', '    - name: [a]', '      debug: msg=x') }, 'site.yml:4:13: name must be a string', /^quote the name/],
  ['a task that is a list', { 'site.yml': play('  tasks:', '    - [a]') }, 'site.yml:4:7: a task must be a mapping, found a list', /^write each task as a mapping/],
  ['an import_tasks cycle', { 'site.yml': play('  tasks:', '    - import_tasks: a.yml'), 'a.yml': '- import_tasks: a.yml\n' }, 'a.yml:1:17: import cycle: ', /^a task file cannot import itself/],
  ['an empty action', { 'site.yml': play('  tasks:', '    - action: "  "') }, 'site.yml:4:15: action is empty', /^write the module and its arguments/],
  ['action as a list', { 'site.yml': play('  tasks:', '    - action: [a]') }, `site.yml:4:15: action must be "module args" or a mapping with a 'module' key`, /^write action: MODULE key=value/],
  ['module arguments as a list', { 'site.yml': play('  tasks:', '    - debug: [a]') }, "site.yml:4:14: arguments of 'debug' must be a mapping or key=value text, found a list", /^indent "name: value" lines under the module/],
  ['args that are a list', { 'site.yml': play('  tasks:', '    - debug: msg=x', '      args: [a]') }, 'site.yml:5:13: args must be a mapping', /^indent one "name: value" per line under args:/],
  ['two loops', { 'site.yml': play('  tasks:', '    - debug: msg=x', '      loop: [1]', '      with_items: [2]') }, 'site.yml:6:7: only one loop per task: found loop, with_items', /^keep one loop keyword/],
  ['loop_control that is a list', { 'site.yml': play('  tasks:', '    - debug: msg=x', '      loop: [1]', '      loop_control: [a]') }, 'site.yml:6:21: loop_control must be a mapping', /^indent its keys under it: loop_var/],
  ['an unknown loop_control key', { 'site.yml': play('  tasks:', '    - debug: msg=x', '      loop: [1]', '      loop_control: {lable: x}') }, "site.yml:6:22: unknown loop_control key 'lable' (did you mean 'label'?)", /^loop_control keys: /],
  ['a loop_var that is not a name', { 'site.yml': play('  tasks:', '    - debug: msg=x', '      loop: [1]', '      loop_control: {loop_var: 1x}') }, 'site.yml:6:32: loop_control.loop_var must be a variable name', /^use letters, digits and _ only/],
  ['import_playbook among tasks', { 'site.yml': play('  tasks:', '    - import_playbook: b.yml') }, 'site.yml:4:7: import_playbook is only allowed at the top level of a playbook, not among tasks', /^move it out of tasks:/],
  ['register that is not a name', { 'site.yml': play('  tasks:', '    - debug: msg=x', '      register: my-result') }, 'site.yml:5:17: register must be a variable name', /^use letters, digits and _ only/],
  ['import_tasks without a file', { 'site.yml': play('  tasks:', '    - import_tasks: ""') }, 'site.yml:4:21: import_tasks needs a file name', /^write "import_tasks: FILE.yml"/],
  ['loop on import_tasks', { 'site.yml': play('  tasks:', '    - import_tasks: a.yml', '      loop: [1]'), 'a.yml': '- debug: msg=x\n' }, "site.yml:5:7: 'loop' cannot be used with import_tasks (a static import)", 'use include_tasks (loaded when it runs) to loop over a task file'],
  ['include_role without name', { 'site.yml': play('  tasks:', '    - include_role: {tasks_from: x}') }, 'site.yml:4:21: include_role needs name:', /^write "include_role: name=ROLE"/],
  ['an unknown play keyword with a suggestion', { 'site.yml': play('  taks: []') }, "site.yml:3:3: unknown play keyword 'taks' (did you mean 'tasks'?)", 'tasks belong under tasks:, pre_tasks:, post_tasks: or handlers:'],
  ['an unknown YAML alias', { 'site.yml': play('  vars:', '    a: *nope') }, 'site.yml:4:8: ', /./],
  ['a mapping key that is a list', { 'site.yml': play('  vars:', '    ? [a, b]', '    : 1') }, 'site.yml:4:7: a mapping key must be a plain value, not a list or mapping', /^quote the key if it is text/],
  ['a missing vars file', { 'site.yml': play('  tasks:', '    - import_tasks: missing.yml') }, "site.yml:4:21: task file 'missing.yml' not found", /^looked in: /],
];

describe('every load error has a position, a caret and a hint', () => {
  for (const [name, files, first, hint] of cases) {
    test(name, () => {
      const { list, text } = errorsOf(files);
      expect(text.split('\n')[0]).toContain(first);
      for (const e of list) {
        expect(e.loc, e.message).toBeDefined();
        expect(e.hint, e.message).toBeTruthy();
      }
      expect(text).toMatch(/\n +\d+ \| .*\n +\| *\^/);
      const hints = list.map((e) => e.hint!);
      if (typeof hint === 'string') expect(hints).toContain(hint);
      else expect(hints.some((h) => hint.test(h)), hints.join('\n')).toBe(true);
    });
  }
});
