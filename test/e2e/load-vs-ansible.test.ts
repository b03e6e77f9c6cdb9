// Loading compared with ansible-playbook 2.14 on the local host: FQCN directives, key=value
// imports, templated import_playbook, empty playbooks, role vars seen play-wide, role task files
// without .yml, allow_duplicates. Each case runs the same project with both tools and compares the
// exit code and the debug messages printed, in order.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { runAnsible } from '../helpers/ansible.js';
import { ensureBuilt, recap, runSams, writeTree, type CliResult } from '../helpers/run-cli.js';

beforeAll(() => ensureBuilt());

const INVENTORY = 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n';

interface Both {
  sams: CliResult;
  ansible: CliResult;
}

async function both(files: Record<string, string>, args: string[] = []): Promise<Both> {
  const dir = writeTree(mkdtempSync(join(tmpdir(), 'sams-load-cmp-')), { 'hosts.ini': INVENTORY, ...files });
  const [sams, ansible] = await Promise.all([
    runSams(['play', 'site.yml', '-i', 'hosts.ini', ...args], { cwd: dir }),
    runAnsible('ansible-playbook', ['site.yml', '-i', 'hosts.ini', ...args], dir, { ANSIBLE_ROLES_PATH: join(dir, 'roles') }),
  ]);
  return { sams, ansible };
}

/** The "msg" lines of debug tasks, in order. */
function messages(stdout: string): string[] {
  return [...stdout.matchAll(/^\s+"msg": (".*")$/gm)].map((m) => JSON.parse(m[1]!) as string);
}

function play(tasks: string, extra = ''): string {
  return `- hosts: localhost\n  gather_facts: false\n${extra}  tasks:\n${tasks}`;
}

describe('loading as ansible-playbook does', () => {
  test('FQCN directives (ansible.builtin.* and ansible.legacy.*) work like the short names', async () => {
    const r = await both({
      'site.yml':
        play(
          [
            '    - ansible.builtin.include_tasks: inc.yml',
            '    - ansible.legacy.include_tasks: inc.yml',
            '    - ansible.builtin.import_tasks: inc.yml',
            '    - ansible.legacy.import_tasks: inc.yml',
            '    - ansible.builtin.import_role: {name: r}',
            '    - ansible.legacy.include_role: {name: r}',
            '    - ansible.builtin.meta: noop',
            '    - ansible.legacy.meta: flush_handlers',
            '',
          ].join('\n'),
        ) + '- ansible.builtin.import_playbook: more.yml\n- ansible.legacy.import_playbook: more.yml\n',
      'inc.yml': '- debug: msg=inc\n',
      'more.yml': play('    - debug: msg=more\n'),
      'roles/r/tasks/main.yml': '- debug: msg=role\n',
    });
    expect(r.ansible.code, r.ansible.stdout + r.ansible.stderr).toBe(0);
    expect(r.sams.code, r.sams.stdout + r.sams.stderr).toBe(0);
    expect(messages(r.sams.stdout)).toEqual(messages(r.ansible.stdout));
    expect(messages(r.sams.stdout)).toEqual(['inc', 'inc', 'inc', 'inc', 'role', 'role', 'more', 'more']);
    expect(recap(r.ansible.stdout).localhost?.ok).toBeGreaterThan(0);
    expect(recap(r.sams.stdout)).toEqual(recap(r.ansible.stdout));
  });

  test('import_role, import_tasks, include_tasks and include_role written as key=value text', async () => {
    const r = await both({
      'site.yml': play(
        [
          '    - import_role: name=r',
          '    - import_role: name=r tasks_from=other',
          '    - import_tasks: file=inc.yml',
          '    - include_tasks: file=inc.yml',
          '    - include_role: name=r tasks_from=other',
          '',
        ].join('\n'),
      ),
      'inc.yml': '- debug: msg=inc\n',
      'roles/r/tasks/main.yml': '- debug: msg=main\n',
      'roles/r/tasks/other.yml': '- debug: msg=other\n',
    });
    expect(r.ansible.code, r.ansible.stdout + r.ansible.stderr).toBe(0);
    expect(r.sams.code, r.sams.stdout + r.sams.stderr).toBe(0);
    expect(messages(r.sams.stdout)).toEqual(messages(r.ansible.stdout));
    expect(messages(r.sams.stdout)).toEqual(['main', 'other', 'inc', 'inc', 'other']);
  });

  test('a templated import_playbook is rendered with extra vars', async () => {
    const r = await both({ 'site.yml': '- import_playbook: "{{ pb }}.yml"\n', 'inner.yml': play('    - debug: msg=inner\n') }, ['-e', 'pb=inner']);
    expect(r.ansible.code, r.ansible.stderr).toBe(0);
    expect(r.sams.code, r.sams.stderr).toBe(0);
    expect(messages(r.sams.stdout)).toEqual(['inner']);
    expect(messages(r.ansible.stdout)).toEqual(['inner']);
  });

  test("a templated import_playbook is rendered with the import's own vars", async () => {
    const r = await both({ 'site.yml': '- import_playbook: "{{ pb }}.yml"\n  vars:\n    pb: inner\n', 'inner.yml': play('    - debug: msg=inner\n') });
    expect(r.ansible.code, r.ansible.stderr).toBe(0);
    expect(r.sams.code, r.sams.stderr).toBe(0);
    expect(messages(r.sams.stdout)).toEqual(messages(r.ansible.stdout));
  });

  test("an earlier play's vars are not visible to a templated import_playbook (both fail)", async () => {
    const r = await both({ 'site.yml': play('    - debug: msg=first\n', '  vars:\n    pb: inner\n') + '- import_playbook: "{{ pb }}.yml"\n', 'inner.yml': play('    - debug: msg=inner\n') }, ['--syntax-check']);
    expect(r.ansible.code).not.toBe(0);
    expect(r.ansible.stderr).toContain("'pb' is undefined");
    expect(r.sams.code).toBe(4);
    expect(r.sams.stderr).toContain("site.yml:7:20: undefined variable 'pb' in import_playbook");
  });

  for (const [name, text] of [
    ['an empty file', ''],
    ['a file of comments', '# nothing here yet\n'],
    ['a document marker only', '---\n'],
    ['an empty list', '[]\n'],
  ] as const) {
    test(`a playbook that is ${name} is a load error with exit code 4`, async () => {
      const r = await both({ 'site.yml': text }, ['--syntax-check']);
      expect(r.ansible.code).toBe(4);
      expect(r.sams.code).toBe(4);
      expect(r.sams.stderr).toMatch(/^site\.yml:1:1: (empty playbook, nothing to do|a playbook must contain at least one play)$/m);
      expect(r.sams.stderr).toContain('hint: ');
    });
  }

  test("a play-level role's vars/ and its entry's vars: are visible to later tasks; its other params are not", async () => {
    const r = await both({
      'site.yml': play(
        `    - debug: msg="{{ avar }} {{ entry_var | default('entry-hidden') }} {{ p | default('param-hidden') }}"\n`,
        '  roles:\n    - role: a\n      p: 5\n      vars:\n        entry_var: from_entry\n',
      ),
      'roles/a/vars/main.yml': 'avar: from_a_vars\n',
      'roles/a/tasks/main.yml': `- debug: msg="in role {{ p }} {{ entry_var }}"\n`,
    });
    expect(r.ansible.code, r.ansible.stderr).toBe(0);
    expect(r.sams.code, r.sams.stderr).toBe(0);
    expect(messages(r.sams.stdout)).toEqual(messages(r.ansible.stdout));
    expect(messages(r.sams.stdout)).toEqual(['in role 5 from_entry', 'from_a_vars from_entry param-hidden']);
  });

  test("a role's vars/main.yml wins over its entry's vars: for later tasks", async () => {
    const r = await both({
      'site.yml': play('    - debug: msg="{{ x }}"\n', '  roles:\n    - role: a\n      vars:\n        x: from_entry\n'),
      'roles/a/vars/main.yml': 'x: from_vars_file\n',
      'roles/a/tasks/main.yml': '- debug: msg=role\n',
    });
    expect(r.ansible.code, r.ansible.stderr).toBe(0);
    expect(r.sams.code, r.sams.stderr).toBe(0);
    expect(messages(r.sams.stdout)).toEqual(messages(r.ansible.stdout));
  });

  test('role task files tasks/main.yaml and tasks/main (no extension) are found', async () => {
    const r = await both({
      'site.yml': play('    - debug: msg=play\n', '  roles:\n    - yaml_ext\n    - no_ext\n'),
      'roles/yaml_ext/tasks/main.yaml': '- debug: msg=from-main.yaml\n',
      'roles/no_ext/tasks/main': '- debug: msg=from-main\n',
    });
    expect(r.ansible.code, r.ansible.stderr).toBe(0);
    expect(r.sams.code, r.sams.stderr).toBe(0);
    expect(messages(r.sams.stdout)).toEqual(messages(r.ansible.stdout));
    expect(messages(r.sams.stdout)).toEqual(['from-main.yaml', 'from-main', 'play']);
  });

  test('a role listed twice runs twice with allow_duplicates: true in its meta, once without', async () => {
    const r = await both({
      'site.yml': play('    - debug: msg=play\n', '  roles:\n    - dup\n    - dup\n    - once\n    - once\n'),
      'roles/dup/meta/main.yml': 'allow_duplicates: true\n',
      'roles/dup/tasks/main.yml': '- debug: msg=dup\n',
      'roles/once/tasks/main.yml': '- debug: msg=once\n',
    });
    expect(r.ansible.code, r.ansible.stderr).toBe(0);
    expect(r.sams.code, r.sams.stderr).toBe(0);
    expect(messages(r.sams.stdout)).toEqual(messages(r.ansible.stdout));
    expect(messages(r.sams.stdout)).toEqual(['dup', 'dup', 'once', 'play']);
  });

  const TAGGED = {
    'site.yml': play(
      [
        '    - name: t1',
        '      debug: msg=one',
        '      tags: "{{ my_tag }}"',
        '    - name: t2',
        '      debug: msg=two',
        `      tags: ["{{ my_tag }}x", bar, "{{ from_role }}"]`,
        '    - name: t3',
        '      debug: msg=three',
        `      tags: "{{ ev | default('dflt') }}"`,
        '',
      ].join('\n'),
      '  vars:\n    my_tag: foo\n  roles:\n    - r\n',
    ),
    'roles/r/vars/main.yml': 'from_role: rtag\n',
    'roles/r/tasks/main.yml': `- name: in role\n  debug: msg=role\n  tags: "{{ from_role }}-own"\n`,
  };

  for (const args of [['--list-tasks'], ['--list-tasks', '-e', 'ev=zz'], ['--list-tags'], ['--list-tasks', '--tags', 'foo,rtag-own'], ['--list-tasks', '--skip-tags', 'dflt,bar']]) {
    test(`templated tags are rendered with play vars, role vars and extra vars: ${args.join(' ')}`, async () => {
      const r = await both(TAGGED, args);
      expect(r.ansible.code, r.ansible.stderr).toBe(0);
      expect(r.sams.code, r.sams.stderr).toBe(0);
      expect(r.sams.stdout).toBe(r.ansible.stdout);
    });
  }

  test('a run with --tags selects tasks by their rendered tags', async () => {
    const r = await both(TAGGED, ['--tags', 'foox,zz', '-e', 'ev=zz']);
    expect(r.ansible.code, r.ansible.stderr).toBe(0);
    expect(r.sams.code, r.sams.stderr).toBe(0);
    expect(messages(r.sams.stdout)).toEqual(messages(r.ansible.stdout));
    expect(messages(r.sams.stdout)).toEqual(['two', 'three']);
  });

  test("a templated play tag selects the play's tasks", async () => {
    const r = await both({ 'site.yml': play('    - debug: msg=in-play\n', '  vars:\n    pt: playtag\n  tags: "{{ pt }}"\n') + play('    - debug: msg=other-play\n') }, ['--tags', 'playtag']);
    expect(r.ansible.code, r.ansible.stderr).toBe(0);
    expect(r.sams.code, r.sams.stderr).toBe(0);
    expect(messages(r.sams.stdout)).toEqual(messages(r.ansible.stdout));
    expect(messages(r.sams.stdout)).toEqual(['in-play']);
  });

  test('a tag using a variable that only hosts have fails in both (sams at load, exit 4)', async () => {
    const r = await both({ 'site.yml': play('    - name: t\n      debug: msg=x\n      tags: "{{ nope }}"\n') }, ['--list-tasks']);
    expect(r.ansible.code).not.toBe(0);
    expect(r.ansible.stderr).toContain("'nope' is undefined");
    expect(r.sams.code).toBe(4);
    expect(r.sams.stderr).toContain("site.yml:4:7: undefined variable 'nope' in tags");
    expect(r.sams.stderr).toContain('hint: tags are rendered before any host is known');
  });

  test('a template syntax error is a load error (exit 4) before any task runs; Ansible fails only at the task', async () => {
    const r = await both({ 'site.yml': play('    - debug: msg=first\n    - debug:\n        msg: "{{ foo | }}"\n') });
    expect(messages(r.ansible.stdout)).toEqual(['first']);
    expect(r.ansible.code).toBe(2);
    expect(r.sams.code).toBe(4);
    expect(r.sams.stdout).not.toContain('first');
    expect(r.sams.stderr).toMatch(/^site\.yml:6:14: template syntax error in "\{\{ foo \| \}\}"/m);
  });
});
