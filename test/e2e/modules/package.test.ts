// package end to end: dispatches to apt on this Debian machine (package manager from gathered
// facts, or found on the host), installing and removing the small `sl` package; purged afterwards.

import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, test } from 'vitest';
import { play, useProject } from './core-helpers.js';

const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' };

function isInstalled(pkg: string): boolean {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.endsWith(' installed');
}

const preinstalled = isInstalled('sl');
const p = useProject(1, 'package');

afterAll(() => {
  if (!preinstalled && isInstalled('sl')) spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=120', 'purge', '-y', '-q', 'sl'], { env: APT_ENV, stdio: 'ignore' });
}, 300_000);

function playbook(tasks: string, facts = false): string {
  return `- hosts: h1\n  gather_facts: ${facts}\n  tasks:\n${tasks}`;
}

describe.skipIf(preinstalled)('package (skipped when sl is already installed on this machine)', { timeout: 300_000 }, () => {
  test('without facts it finds apt-get on the host: --check predicts, the run installs, the second run is ok', async () => {
    const yaml = playbook('    - name: sl\n      package: { name: sl }\n');
    const check = await play(p, yaml, ['--check', '--diff']);
    expect(check.result('sl')).toMatchObject({ status: 'changed', check_only: true, diff: [{ target: 'packages', before: '', after: expect.stringMatching(/^sl \S+\n$/) }] });
    expect(isInstalled('sl')).toBe(false);
    const run = await play(p, yaml);
    expect(run.result('sl')).toMatchObject({ status: 'changed', data: { cache_updated: false } });
    expect(isInstalled('sl')).toBe(true);
    const again = await play(p, playbook('    - name: sl\n      package: { name: sl, use: apt }\n'));
    expect(again.result('sl').status).toBe('ok');
  });

  test('with gathered facts (pkg_mgr: apt) it runs apt and removes the package', async () => {
    const yaml = playbook('    - name: facts say apt\n      assert: { that: ansible_facts.pkg_mgr == "apt" }\n    - name: gone\n      package: { name: sl, state: absent }\n', true);
    const run = await play(p, yaml);
    expect(run.code, run.stderr).toBe(0);
    expect(run.result('gone').status).toBe('changed');
    expect(isInstalled('sl')).toBe(false);
  });

  test('facts naming another package manager fail the task', async () => {
    const run = await play(p, `- hosts: h1\n  gather_facts: false\n  vars:\n    ansible_pkg_mgr: dnf\n  tasks:\n    - name: other\n      package: { name: sl }\n`);
    expect(run.result('other')).toMatchObject({ status: 'failed', msg: "package: the host's package manager is dnf; sams supports apt only" });
  });

  test('bad arguments are load-time errors at their file:line:col, exit 4', async () => {
    const res = await play(p, playbook(['    - package: name=sl use=yum', '    - package:', '        name: sl', '        update_cache: yes', ''].join('\n')));
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:4:\d+: .*use: yum is not supported/);
    expect(res.stderr).toMatch(/site\.yml:7:\d+: unknown argument 'update_cache' for module 'package'/);
  });
});
