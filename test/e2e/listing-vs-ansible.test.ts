// --syntax-check, --list-hosts, --list-tasks and --list-tags on a realistic Ansible project with
// roles (defaults, vars, meta dependencies, nested names), imports, includes, tags and handlers
// with listen: the same output as ansible-playbook. Nothing connects to any host.

import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { runAnsible } from '../helpers/ansible.js';
import { ensureBuilt, ROOT, runSams } from '../helpers/run-cli.js';

const project = join(ROOT, 'test/fixtures/project');

beforeAll(() => ensureBuilt());

/** ansible-playbook lists hosts in an arbitrary order; sort host lines within each play for comparison. */
function sortHostLines(out: string): string {
  return out.replace(/(hosts \(\d+\):\n)((?: {6}\S+\n?)+)/g, (_m, head: string, lines: string) => head + lines.trimEnd().split('\n').sort().join('\n') + '\n');
}

const cases: [string, string[]][] = [
  ['--list-tasks', ['--list-tasks']],
  ['--list-tasks --tags dovecot,never', ['--list-tasks', '--tags', 'dovecot,never']],
  ['--list-tasks --skip-tags extra,always', ['--list-tasks', '--skip-tags', 'extra,always']],
  ['--list-tags', ['--list-tags']],
  ['--list-tags --tags dovecot', ['--list-tags', '--tags', 'dovecot']],
  ['--list-hosts', ['--list-hosts']],
  ['--list-hosts --limit mail1,db1', ['--list-hosts', '--limit', 'mail1,db1']],
];

describe('listing options print what ansible-playbook prints', () => {
  for (const [name, args] of cases) {
    test(name, async () => {
      const [s, a] = await Promise.all([runSams(['play', 'playbooks/site.yml', ...args], { cwd: project }), runAnsible('ansible-playbook', ['playbooks/site.yml', ...args], project)]);
      expect(a.code, a.stderr).toBe(0);
      expect(s.code, s.stderr).toBe(0);
      expect(sortHostLines(s.stdout)).toBe(sortHostLines(a.stdout));
    });
  }

  test('--syntax-check succeeds without connecting', async () => {
    const s = await runSams(['play', 'playbooks/site.yml', '--syntax-check'], { cwd: project });
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('playbook: ');
  });

  test('a bare playbook name is found in the project playbooks/ directory', async () => {
    const s = await runSams(['play', 'site.yml', '--list-tasks'], { cwd: project });
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toContain('dovecot : Configure dovecot\tTAGS: [config, dovecot, mailrole]');
  });
});
