// apt end to end: installs and removes real small packages (tree, cowsay and its dependency) from
// the Debian mirror on this machine through a loopback sshd host; --check asks apt to simulate.
// Tests run one after another (dpkg has one lock); what they installed is purged afterwards.

import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ansiblePlay, play, useProject, type Json } from './core-helpers.js';

const PKGS = ['tree', 'cowsay', 'libtext-charwidth-perl'];
const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' };

function dpkgState(pkg: string): string {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split(' ')[2]! : 'unknown';
}

function isInstalled(pkg: string): boolean {
  return dpkgState(pkg) === 'installed';
}

function candidate(pkg: string): string {
  const out = spawnSync('apt-cache', ['policy', pkg], { encoding: 'utf8', env: APT_ENV }).stdout;
  return /Candidate: (\S+)/.exec(out)![1]!;
}

function cacheMtime(): number {
  for (const f of ['/var/lib/apt/periodic/update-success-stamp', '/var/lib/apt/lists']) if (existsSync(f)) return Math.floor(statSync(f).mtimeMs / 1000);
  return 0;
}

// The machine must not have them already: the tests install and purge them.
const preinstalled = PKGS.slice(0, 2).filter(isInstalled);
const p = useProject(1, 'apt');

beforeAll(() => {
  // A cache older than a day (or none) would make installs fail or fetch stale versions.
  if (Date.now() / 1000 - cacheMtime() > 86400 || !existsSync('/var/lib/apt/lists')) {
    spawnSync('apt-get', ['update', '-q'], { env: APT_ENV, stdio: 'ignore' });
  }
}, 300_000);
afterAll(() => {
  const ours = PKGS.filter((x) => !preinstalled.includes(x) && dpkgState(x) !== 'not-installed' && dpkgState(x) !== 'unknown');
  if (ours.length) spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=120', 'purge', '-y', '-q', ...ours], { env: APT_ENV, stdio: 'ignore' });
}, 300_000);

function playbook(tasks: string): string {
  return `- hosts: h1\n  gather_facts: false\n  tasks:\n${tasks}`;
}

const INSTALL = playbook('    - name: install\n      apt: { name: [tree, cowsay], state: present }\n      register: r\n');

describe.skipIf(preinstalled.length > 0)(`apt (skipped when ${PKGS.slice(0, 2).join('/')} are already installed on this machine)`, { timeout: 300_000 }, () => {
  test('--check --diff: apt simulates the install, the diff lists the packages with dependencies, nothing is installed', async () => {
    const s = await play(p, INSTALL, ['--check', '--diff']);
    expect(s.code, s.stderr).toBe(0);
    const r = s.result('install') as unknown as Json & { diff: { target: string; before: string; after: string }[]; data: Json };
    expect(r).toMatchObject({ status: 'changed', check_only: true, note: expect.stringContaining('install cowsay libtext-charwidth-perl tree') });
    expect(r.diff).toEqual([{ target: 'packages', before: '', after: `cowsay ${candidate('cowsay')}\nlibtext-charwidth-perl ${candidate('libtext-charwidth-perl')}\ntree ${candidate('tree')}\n` }]);
    expect(r.data).toMatchObject({ cache_updated: false, cache_update_time: cacheMtime(), stdout: expect.stringContaining('Inst tree ') });
    for (const x of PKGS) expect(isInstalled(x), x).toBe(false);
  });

  test('present installs them (the dependency marked auto); a second run and a --check are ok', async () => {
    const s = await play(p, INSTALL);
    expect(s.code, s.stderr).toBe(0);
    expect(s.result('install')).toMatchObject({ status: 'changed', stdout: expect.stringContaining('Setting up tree'), data: { cache_updated: false } });
    for (const x of PKGS) expect(isInstalled(x), x).toBe(true);
    const auto = spawnSync('apt-mark', ['showauto', ...PKGS], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(auto).toEqual(['libtext-charwidth-perl']);
    const again = await play(p, INSTALL);
    expect(again.result('install')).toMatchObject({ status: 'ok', data: { cache_updated: false, cache_update_time: cacheMtime() } });
    const check = await play(p, INSTALL, ['--check']);
    expect(check.result('install').status).toBe('ok');
  });

  test('naming an installed auto package marks it manual without a change, as ansible-playbook does', async () => {
    const dep = 'libtext-charwidth-perl';
    const showauto = () => spawnSync('apt-mark', ['showauto', dep], { encoding: 'utf8' }).stdout.trim();
    const pb = playbook(`    - name: mark\n      apt: { name: ${dep}, state: present }\n      register: r\n`);
    expect(showauto()).toBe(dep);
    const check = await play(p, pb, ['--check']);
    expect(check.result('mark').status).toBe('ok');
    expect(showauto()).toBe(dep);
    const s = await play(p, pb);
    expect(s.code, s.stderr).toBe(0);
    expect(s.result('mark').status).toBe('ok');
    expect(showauto()).toBe('');
    spawnSync('apt-mark', ['auto', dep], { stdio: 'ignore' });
    const a = await ansiblePlay(p, pb);
    expect(a.code, a.stdout).toBe(0);
    expect(a.result('mark').changed).toBe(false);
    expect(showauto()).toBe('');
    spawnSync('apt-mark', ['auto', dep], { stdio: 'ignore' });
  });

  test('latest, an exact version, only_upgrade: ok when installed; a missing version or package fails', async () => {
    const v = candidate('tree');
    const s = await play(
      p,
      playbook(
        [
          '    - name: latest',
          '      apt: { name: tree, state: latest }',
          '    - name: exact',
          `      apt: { name: "tree=${v}" }`,
          '    - name: only upgrade',
          '      apt: { name: sl, only_upgrade: true }',
          '    - name: no such version',
          '      apt: { name: "tree=0.0.0-sams" }',
          '      ignore_errors: true',
          '    - name: no such package',
          '      apt: { name: samstest-no-such-package }',
          '      ignore_errors: true',
          '',
        ].join('\n'),
      ),
    );
    expect(s.result('latest').status).toBe('ok');
    expect(s.result('exact').status).toBe('ok');
    expect(s.result('only upgrade').status).toBe('ok');
    expect(s.result('no such version')).toMatchObject({ status: 'failed', msg: 'no available installation candidate for tree=0.0.0-sams' });
    expect(s.result('no such package')).toMatchObject({ status: 'failed', msg: "No package matching 'samstest-no-such-package' is available" });
    expect(isInstalled('sl')).toBe(false);
  });

  test('name>=version: installs the candidate, is ok when the installed version is new enough, fails when none is; as ansible-playbook', async () => {
    const yaml = playbook(
      [
        '    - name: remove',
        '      apt: { name: tree, state: absent }',
        '    - name: install at least',
        '      apt: { name: "tree>=1.0" }',
        '      register: r_install',
        '    - name: met',
        '      apt: { name: "tree>=1.0" }',
        '      register: r_met',
        '    - name: met, --check',
        '      apt: { name: "tree>=1.0" }',
        '      check_mode: true',
        '      register: r_met_check',
        '    - name: too new',
        '      apt: { name: "tree>=99" }',
        '      register: r_too_new',
        '      ignore_errors: true',
        '    - debug: var=r_install',
        '    - debug: var=r_met',
        '    - debug: var=r_met_check',
        '    - debug: var=r_too_new',
        '',
      ].join('\n'),
    );
    // One after the other: both use this machine's dpkg.
    const s = await play(p, yaml);
    expect(s.code, s.stderr).toBe(0);
    expect(isInstalled('tree')).toBe(true);
    const a = await ansiblePlay(p, yaml);
    expect(a.code, a.stdout).toBe(0);
    expect(isInstalled('tree')).toBe(true);
    const pick = (v: unknown) => {
      const r = v as Json;
      return { changed: r.changed, failed: r.failed, msg: r.msg };
    };
    for (const n of ['r_install', 'r_met', 'r_met_check', 'r_too_new']) expect(pick(s.shown(n)), n).toEqual(pick(a.shown(n)));
    expect(pick(s.shown('r_install')).changed).toBe(true);
    expect(pick(s.shown('r_met')).changed).toBe(false);
    expect(pick(s.shown('r_too_new'))).toMatchObject({ failed: true, msg: 'no available installation candidate for tree>=99' });
  });

  test('absent: --check predicts the removal and removes nothing; purge removes; a second run is ok', async () => {
    const yaml = playbook('    - name: remove\n      apt: { name: [tree, cowsay], state: absent, purge: true }\n');
    const check = await play(p, yaml, ['--check', '--diff']);
    expect(check.result('remove')).toMatchObject({ status: 'changed', diff: [{ target: 'packages', before: `cowsay ${candidate('cowsay')}\ntree ${candidate('tree')}\n`, after: '' }] });
    expect(isInstalled('tree')).toBe(true);
    const s = await play(p, yaml);
    expect(s.result('remove')).toMatchObject({ status: 'changed', stdout: expect.stringContaining('Removing tree') });
    // Purged: dpkg forgets them (no config-files state left).
    expect(['not-installed', 'unknown']).toContain(dpkgState('tree'));
    expect(['not-installed', 'unknown']).toContain(dpkgState('cowsay'));
    expect((await play(p, yaml)).result('remove').status).toBe('ok');
  });

  test('autoremove --check names the dependency left behind, and removes nothing', async () => {
    const s = await play(p, playbook('    - name: autoremove\n      apt: { autoremove: true }\n'), ['--check', '--diff']);
    const r = s.result('autoremove') as unknown as Json & { diff: { before: string }[] };
    expect(r.status).toBe('changed');
    expect(r.diff[0]!.before).toContain('libtext-charwidth-perl ');
    expect(isInstalled('libtext-charwidth-perl')).toBe(true);
    const drop = await play(p, playbook('    - name: drop\n      apt: { name: libtext-charwidth-perl, state: absent }\n'));
    expect(drop.result('drop').status).toBe('changed');
    expect(isInstalled('libtext-charwidth-perl')).toBe(false);
  });

  test('upgrade --check predicts what apt-get -s upgrade says, and upgrades nothing', async () => {
    const sim = spawnSync('apt-get', ['-s', 'upgrade', '--with-new-pkgs'], { encoding: 'utf8', env: APT_ENV }).stdout;
    const s = await play(p, playbook('    - name: upgrade\n      apt: { upgrade: safe }\n'), ['--check']);
    expect(s.result('upgrade').status).toBe(sim.includes('\n0 upgraded, 0 newly installed') ? 'ok' : 'changed');
    const after = spawnSync('apt-get', ['-s', 'upgrade', '--with-new-pkgs'], { encoding: 'utf8', env: APT_ENV }).stdout;
    expect(after.match(/^\d+ upgraded/m)?.[0]).toBe(sim.match(/^\d+ upgraded/m)?.[0]);
  });

  test('update_cache: a fresh enough cache is left alone; an old one is refreshed (predicted in --check)', async () => {
    const fresh = await play(p, playbook('    - name: fresh\n      apt: { update_cache: true, cache_valid_time: 864000 }\n'));
    expect(fresh.result('fresh')).toMatchObject({ status: 'ok', data: { cache_updated: false, cache_update_time: cacheMtime() } });
    const before = cacheMtime();
    const check = await play(p, playbook('    - name: stale\n      apt: { update_cache: true, cache_valid_time: 1 }\n'), ['--check']);
    expect(check.result('stale')).toMatchObject({ status: 'changed', data: { cache_updated: true, cache_update_time: before } });
    const run = await play(p, playbook('    - name: refresh\n      apt: { update_cache: true }\n'));
    const r = run.result('refresh') as unknown as Json & { data: { cache_updated: boolean; cache_update_time: number } };
    expect(run.code, run.stderr).toBe(0);
    expect(r.data.cache_update_time).toBe(cacheMtime());
    expect(r.status).toBe(r.data.cache_updated ? 'changed' : 'ok');
  });

  test('bad arguments are load-time errors at their file:line:col, exit 4', async () => {
    const yaml = playbook(['    - apt: name=tree state=fixed', '    - apt:', '        name: tree', '        upgrade: dist', '    - apt: deb=/tmp/x.deb', ''].join('\n'));
    const res = await play(p, yaml);
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/site\.yml:4:\d+: .*argument 'state': must be one of/);
    expect(res.stderr).toMatch(/site\.yml:7:\d+: .*parameters are mutually exclusive: deb\|package\|upgrade/);
    expect(res.stderr).toMatch(/site\.yml:8:\d+: unknown argument 'deb' for module 'apt'/);
  });
});
