// apt planning from fixture states (real apt-cache policy and apt-get --simulate output captured on
// Debian 12): apt.py's install/remove decisions, the apt-get command lines, cache refresh results,
// the probe parser, package's dispatch, and argument errors.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { aptProbeScript, parseAptProbe, parsePolicy, type DpkgStatus } from '../../../src/facts/apt-state.js';
import aptModule, { aptAction, aptRequest, planApt, type AptArgs, type AptProbe } from '../../../src/modules/apt.js';
import { installCommand, installList, parseSimulation, removeList, simulationDiff, splitPackageSpec, upgradeCommand } from '../../../src/modules/lib/apt-plan.js';
import packageModule, { factsPkgMgr } from '../../../src/modules/package.js';
import type { Plan, Step } from '../../../src/modules/types.js';
import { argError, args } from './env.js';

const FIX = join(import.meta.dirname, '../../fixtures/system');
const POLICY = parsePolicy(readFileSync(join(FIX, 'apt-policy.txt'), 'utf8'));
const SIM = readFileSync(join(FIX, 'apt-sim-install.txt'), 'utf8');

const installed = (version: string): DpkgStatus => ({ want: 'install', state: 'installed', version });
const DPKG: Record<string, DpkgStatus> = {
  bash: installed('5.2.15-2+b8'),
  tree: { want: 'unknown', state: 'not-installed', version: '' },
  cowsay: { want: 'deinstall', state: 'config-files', version: '3.03+dfsg2-8' },
};

function aptArgs(raw: Record<string, unknown>): AptArgs {
  return args(aptModule, raw);
}

function st(o: Partial<AptProbe> = {}): AptProbe {
  return { hasAptGet: true, now: 1_800_000_000, cacheMtime: 1_800_000_000 - 3600, dpkg: DPKG, policy: POLICY, auto: [], ...o };
}

const specs = (...s: string[]) => s.map(splitPackageSpec);
const opts = { upgrade: false, onlyUpgrade: false };

function describeSteps(p: Plan): string[] {
  return p.kind === 'change' ? p.steps.map((s: Step) => (s.kind === 'run' ? s.cmd.text : s.kind === 'custom' ? s.describe : s.path)) : [];
}

describe('policy and simulation parsing', () => {
  test('candidates and version tables, installed marker included; a virtual package has neither', () => {
    expect(POLICY.bash).toEqual({ candidate: '5.2.15-2+b13', versions: ['5.2.15-2+b13', '5.2.15-2+b8'] });
    expect(POLICY.tree).toEqual({ candidate: '2.1.0-1', versions: ['2.1.0-1'] });
    expect(POLICY['mail-transport-agent']).toEqual({ candidate: undefined, versions: [] });
  });

  test('Inst/Conf lines become per-package changes and a before/after diff', () => {
    const c = parseSimulation(SIM);
    expect(c).toEqual([
      { name: 'bash', before: '5.2.15-2+b8', after: '5.2.15-2+b13', action: 'upgrade' },
      { name: 'cowsay', before: undefined, after: '3.03+dfsg2-8', action: 'install' },
      { name: 'libtext-charwidth-perl', before: undefined, after: '0.04-11', action: 'install' },
      { name: 'tree', before: undefined, after: '2.1.0-1', action: 'install' },
    ]);
    expect(simulationDiff(c)).toEqual({ before: 'bash 5.2.15-2+b8\n', after: 'bash 5.2.15-2+b13\ncowsay 3.03+dfsg2-8\nlibtext-charwidth-perl 0.04-11\ntree 2.1.0-1\n' });
    expect(parseSimulation('Remv tree [2.1.0-1]\nPurg cowsay [3.03+dfsg2-8]\n')).toEqual([
      { name: 'cowsay', before: '3.03+dfsg2-8', action: 'purge' },
      { name: 'tree', before: '2.1.0-1', action: 'remove' },
    ]);
  });
});

describe("apt.py's install decisions", () => {
  test.each([
    ['a missing package is installed at its candidate', ['tree'], opts, ['tree=2.1.0-1']],
    ['an installed package is left alone by present', ['bash'], opts, []],
    ['latest upgrades to the candidate', ['bash'], { ...opts, upgrade: true }, ['bash=5.2.15-2+b13']],
    ['an exact installed version is left alone', ['bash=5.2.15-2+b8'], opts, []],
    ['another available version is installed', ['bash=5.2.15-2+b13'], opts, ['bash=5.2.15-2+b13']],
    ['a version pattern picks the best match', ['bash=5.2.15-2+b1*'], opts, ['bash=5.2.15-2+b13']],
    ['only_upgrade skips what is not installed', ['tree', 'bash'], { upgrade: true, onlyUpgrade: true }, ['bash=5.2.15-2+b13']],
    ['a virtual package is passed as named', ['mail-transport-agent'], opts, ['mail-transport-agent']],
    ['removed with config files left: installed again', ['cowsay'], opts, ['cowsay=3.03+dfsg2-8']],
    ['>= met by the installed version: left alone', ['bash>=5.0'], opts, []],
    ['>= above the installed version: the candidate, which is new enough', ['bash>=5.2.15-2+b10'], opts, ['bash=5.2.15-2+b13']],
    ['>= with latest: upgraded to the candidate', ['bash>=5.0'], { ...opts, upgrade: true }, ['bash=5.2.15-2+b13']],
    ['>= of a package not installed: its candidate, not compared (as apt.py)', ['tree>=9'], opts, ['tree=2.1.0-1']],
  ] as const)('%s', (_t, names, o, want) => {
    expect(installList(specs(...names), DPKG, POLICY, o)).toEqual({ kind: 'list', packages: want });
  });

  test('no candidate for the version, or no such package: the messages apt.py gives', () => {
    expect(installList(specs('tree=9.9'), DPKG, POLICY, opts)).toEqual({ kind: 'fail', msg: 'no available installation candidate for tree=9.9' });
    expect(installList(specs('nosuch'), DPKG, POLICY, opts)).toEqual({ kind: 'fail', msg: "No package matching 'nosuch' is available" });
    expect(installList(specs('bash>=6'), DPKG, POLICY, opts)).toEqual({ kind: 'fail', msg: 'no available installation candidate for bash>=6' });
  });

  test('package_split: name, = pattern, >= least version', () => {
    expect(specs('tree', 'tree=2.1*', 'tree>=2.0', 'a>b=1')).toEqual([
      { spec: 'tree', name: 'tree' },
      { spec: 'tree=2.1*', name: 'tree', cmp: '=', version: '2.1*' },
      { spec: 'tree>=2.0', name: 'tree', cmp: '>=', version: '2.0' },
      { spec: 'a>b=1', name: 'a>b', cmp: '=', version: '1' },
    ]);
  });

  test('remove: installed ones (as written); with purge also those with files left', () => {
    expect(removeList(specs('bash', 'tree', 'cowsay', 'nosuch'), DPKG, false)).toEqual(['bash']);
    expect(removeList(specs('bash', 'tree', 'cowsay'), DPKG, true)).toEqual(['bash', 'cowsay']);
    expect(removeList(specs('bash=1.0'), DPKG, false)).toEqual([]);
    expect(removeList(specs('bash>=5', 'bash>=6'), DPKG, false)).toEqual(['bash>=5']);
  });
});

describe('command lines', () => {
  const base = { dpkgOptions: 'force-confdef,force-confold', lockTimeout: 60, force: false, autoremove: false, purge: false, onlyUpgrade: false, allowDowngrade: false, simulate: false };
  const ENV = 'env DEBIAN_FRONTEND=noninteractive DEBIAN_PRIORITY=critical LANG=C.UTF-8 LC_ALL=C.UTF-8 LC_MESSAGES=C.UTF-8 LC_CTYPE=C.UTF-8 apt-get';
  const DPKG_OPTS = '-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold -o DPkg::Lock::Timeout=60';

  test("install with Ansible's dpkg options and every flag", () => {
    expect(installCommand(['tree=2.1.0-1'], base).text).toBe(`${ENV} -y ${DPKG_OPTS} install tree=2.1.0-1`);
    const all = { ...base, onlyUpgrade: true, force: true, autoremove: true, simulate: true, defaultRelease: 'bookworm-backports', installRecommends: false, allowDowngrade: true };
    expect(installCommand(['tree'], all).text).toBe(
      `${ENV} -y ${DPKG_OPTS} --only-upgrade --force-yes --auto-remove --simulate install tree -t bookworm-backports -o APT::Install-Recommends=no --allow-downgrades`,
    );
    expect(installCommand(['tree'], { ...base, installRecommends: true }).text).toContain('-o APT::Install-Recommends=yes');
  });

  test('upgrade modes without aptitude, as apt.py falls back to apt-get', () => {
    expect(upgradeCommand('safe', base).text).toBe(`${ENV} -y ${DPKG_OPTS} upgrade --with-new-pkgs`);
    expect(upgradeCommand('yes', { ...base, autoremove: true }).text).toBe(`${ENV} -y ${DPKG_OPTS} upgrade --with-new-pkgs --auto-remove`);
    expect(upgradeCommand('full', base).text).toBe(`${ENV} -y ${DPKG_OPTS} dist-upgrade`);
    expect(upgradeCommand('dist', base).text).toBe(`${ENV} -y ${DPKG_OPTS} dist-upgrade`);
  });
});

describe('plans', () => {
  test('install: apt-get install of what the simulation confirms, with its diff; check mode returns the simulation output', () => {
    const a = aptArgs({ name: ['tree', 'cowsay', 'bash'] });
    const p = planApt(a, st({ listSimulation: { rc: 0, stdout: SIM } }), { host: 'h', check: true, diff: true });
    expect(p.kind).toBe('change');
    expect(describeSteps(p)).toEqual([expect.stringMatching(/apt-get -y .* install tree=2\.1\.0-1 cowsay=3\.03\+dfsg2-8$/)]);
    expect(p).toMatchObject({ data: { cache_updated: false, cache_update_time: 1_800_000_000 - 3600, stdout: SIM }, diff: [{ target: 'packages' }] });
    expect(p.kind === 'change' && p.note).toBe('install cowsay libtext-charwidth-perl tree; upgrade bash');
  });

  test('nothing to install: ok with the cache keys', () => {
    expect(planApt(aptArgs({ name: 'bash' }), st(), { host: 'h', check: false, diff: false })).toEqual({
      kind: 'ok',
      note: 'bash: already installed',
      data: { cache_updated: false, cache_update_time: 1_800_000_000 - 3600 },
    });
  });

  test('a virtual package apt already provides simulates to nothing: ok', () => {
    const p = planApt(aptArgs({ name: 'mail-transport-agent' }), st({ listSimulation: { rc: 0, stdout: 'Reading package lists...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n' } }), { host: 'h', check: false, diff: false });
    expect(p.kind).toBe('ok');
  });

  test('a failing simulation fails the task with apt-get output', () => {
    const p = planApt(aptArgs({ name: 'tree' }), st({ listSimulation: { rc: 100, stdout: 'E: Unable to correct problems, you have held broken packages.\n' } }), { host: 'h', check: true, diff: false });
    expect(p).toMatchObject({ kind: 'fail', msg: expect.stringContaining('failed: E: Unable to correct problems') });
  });

  test('an installed package marked auto is marked manual, as apt.py does, without counting as a change', async () => {
    const p = planApt(aptArgs({ name: 'bash' }), st({ auto: ['bash'] }), { host: 'h', check: false, diff: false });
    expect(describeSteps(p)).toEqual(['apt-mark manual bash']);
    const step = p.kind === 'change' ? p.steps[0] : undefined;
    expect(step?.kind).toBe('custom');
    const ran: string[] = [];
    const env = { remote: { exec: async (c: { display: string }) => (ran.push(c.display), { rc: 0, stdout: '', stderr: '' }) } } as unknown as Parameters<Extract<Step, { kind: 'custom' }>['apply']>[0];
    const out = step?.kind === 'custom' ? await step.apply(env) : undefined;
    expect(ran).toEqual(['apt-mark manual bash']);
    expect(out).toEqual({ ok: true, changed: false });
  });

  test('check mode does not mark (apt.py skips apt-mark in check mode): ok', () => {
    expect(planApt(aptArgs({ name: 'bash' }), st({ auto: ['bash'] }), { host: 'h', check: true, diff: false }).kind).toBe('ok');
  });

  test('absent: apt-get -q -y remove; nothing installed: ok without cache keys', () => {
    const sim = 'Remv bash [5.2.15-2+b8]\n';
    const p = planApt(aptArgs({ name: 'bash', state: 'absent', purge: true }), st({ listSimulation: { rc: 0, stdout: sim } }), { host: 'h', check: false, diff: false });
    expect(describeSteps(p)).toEqual([expect.stringMatching(/apt-get -q -y .* --purge remove bash$/)]);
    expect(p.kind === 'change' && p.diff).toEqual([{ target: 'packages', before: 'bash 5.2.15-2+b8\n', after: '' }]);
    expect(planApt(aptArgs({ name: 'tree', state: 'absent' }), st(), { host: 'h', check: false, diff: false })).toMatchObject({ kind: 'ok', data: {} });
  });

  test('update_cache alone: changed when the probe refreshed a changed cache; check mode predicts from the age', () => {
    const a = aptArgs({ update_cache: true, cache_valid_time: 600 });
    const env = { host: 'h', check: false, diff: false };
    expect(planApt(a, st({ update: { rc: 0, output: '', mtimeAfter: 1_800_000_000 } }), env)).toMatchObject({ kind: 'change', steps: [], data: { cache_updated: true, cache_update_time: 1_800_000_000 } });
    expect(planApt(a, st({ cacheMtime: 1_800_000_000 - 60 }), env)).toMatchObject({ kind: 'ok', data: { cache_updated: false } });
    expect(planApt(a, st(), { ...env, check: true })).toMatchObject({ kind: 'change', data: { cache_updated: true, cache_update_time: 1_800_000_000 - 3600 } });
    expect(planApt(a, st({ update: { rc: 100, output: 'Err:1 http://x\nE: Failed to fetch http://x\n', mtimeAfter: 0 } }), env)).toEqual({
      kind: 'fail',
      msg: 'Failed to update apt cache: E: Failed to fetch http://x',
    });
  });

  test('upgrade and autoremove are decided by the simulation the probe ran', () => {
    const env = { host: 'h', check: true, diff: false };
    const zero = 'Reading package lists...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n';
    expect(planApt(aptArgs({ upgrade: 'dist' }), st({ simulation: { rc: 0, stdout: zero } }), env)).toMatchObject({ kind: 'ok', data: { msg: zero, stdout: zero } });
    expect(planApt(aptArgs({ upgrade: true }), st({ simulation: { rc: 0, stdout: SIM } }), env)).toMatchObject({ kind: 'change', data: { msg: SIM } });
    const rm = 'The following packages will be REMOVED:\n  libfoo\n0 upgraded, 0 newly installed, 1 to remove and 0 not upgraded.\nRemv libfoo [1]\n';
    expect(planApt(aptArgs({ autoremove: true }), st({ simulation: { rc: 0, stdout: rm } }), env)).toMatchObject({ kind: 'change', diff: [{ before: 'libfoo 1\n', after: '' }] });
    expect(planApt(aptArgs({ autoremove: true }), st({ simulation: { rc: 0, stdout: zero } }), env).kind).toBe('ok');
  });

  test('no apt-get on the host fails', () => {
    expect(planApt(aptArgs({ name: 'tree' }), st({ hasAptGet: false }), { host: 'h', check: false, diff: false })).toMatchObject({ kind: 'fail', msg: 'apt-get was not found on the host' });
  });
});

describe("what the task does, in apt.py's order", () => {
  test.each([
    [{ update_cache: true }, 'update-only'],
    [{ cache_valid_time: 3600, autoremove: true }, 'update-only'],
    [{ name: 'tree', update_cache: true }, 'install'],
    [{ upgrade: 'safe', update_cache: true }, 'upgrade'],
    [{ name: '*', state: 'latest' }, 'upgrade'],
    [{ autoremove: true, autoclean: true }, 'cleanup'],
    [{ name: 'tree', state: 'absent', autoremove: true }, 'remove'],
  ])('%j: %s', (raw, kind) => {
    expect(aptAction(aptRequest(aptArgs(raw))).kind).toBe(kind);
  });
});

describe('probe', () => {
  test('the script reads dpkg, policy and auto marks for the named packages; refreshes only when asked', () => {
    const s = aptProbeScript({ names: ['tree', 'cowsay'], policy: true, defaultRelease: 'bookworm' });
    expect(s).toContain("dpkg-query -W -f='${Package}\\t${Status}\\t${Version}\\n' -- tree cowsay");
    expect(s).toContain('apt-cache -t bookworm policy -- tree cowsay');
    expect(s).toContain("awk -v want=' tree cowsay ' '/^Package: /{p=$2} /^Auto-Installed: 1/{if (index(want, \" \" p \" \")) print p}' /var/lib/apt/extended_states");
    expect(s).not.toContain('apt-get update');
    expect(aptProbeScript({ names: [], policy: false, update: { validSeconds: 3600, retries: 5, maxDelay: 12 } })).toContain('if [ $((m + 3600)) -lt "$now" ]; then');
  });

  test('parses the sections', () => {
    const S = (n: string, b: string) => `\x1esams:${n}\n${b}\n`;
    const out = S('now', '100\n') + S('mtime', '40\n') + S('update', '0\nHit:1 x\n') + S('mtime2', '90\n') + S('dpkg', 'tree\tinstall ok installed\t2.1.0-1\n') + S('policy', 'tree:\n  Installed: 2.1.0-1\n  Candidate: 2.1.0-1\n') + S('auto', 'tree\n');
    expect(parseAptProbe(out)).toEqual({
      hasAptGet: true,
      now: 100,
      cacheMtime: 40,
      update: { rc: 0, output: 'Hit:1 x\n', mtimeAfter: 90 },
      dpkg: { tree: { want: 'install', state: 'installed', version: '2.1.0-1' } },
      policy: { tree: { candidate: '2.1.0-1', versions: [] } },
      auto: ['tree'],
      simulation: undefined,
    });
    expect(parseAptProbe(S('now', '1') + S('mtime', '0') + S('noapt', '')).hasAptGet).toBe(false);
  });
});

describe('arguments', () => {
  test.each([
    [{ name: 'tree', state: 'fixed' }, 'must be one of'],
    [{ name: 'tree', upgrade: 'dist' }, 'parameters are mutually exclusive: deb|package|upgrade'],
    [{ state: 'present' }, 'one of the following is required: autoremove, deb, package, update_cache, upgrade'],
    [{ name: 'tree=1=2' }, 'invalid package spec: tree=1=2'],
    [{ name: 'tre*' }, 'package name patterns are not supported'],
    [{ name: ['*', 'tree'], state: 'latest' }, 'unable to install additional packages when upgrading all installed packages'],
    [{ name: 'tree', pkg: 'tree' }, 'give only one of name, pkg'],
    [{ deb: '/tmp/x.deb' }, "unknown argument 'deb'"],
  ])('%j is rejected', (raw, msg) => {
    expect(argError(aptModule, raw)).toContain(msg);
  });

  test('aliases and boolean upgrade values are accepted', () => {
    expect(aptRequest(aptArgs({ pkg: 'tree', 'update-cache': 'yes', 'install-recommends': 'no', 'default-release': 'x', 'allow-downgrades': true }))).toMatchObject({
      specs: [{ name: 'tree', spec: 'tree' }],
      updateRequested: true,
      cmd: { installRecommends: false, defaultRelease: 'x', allowDowngrade: true },
    });
    expect(aptArgs({ upgrade: true }).upgrade).toBe('yes');
    expect(aptArgs({ upgrade: 'no', update_cache: true }).upgrade).toBe('no');
  });
});

describe('package', () => {
  test('name, state and use only; use must be auto or apt', () => {
    expect(argError(packageModule, { name: 'tree', use: 'yum' })).toContain('use: yum is not supported');
    expect(argError(packageModule, { name: 'tree', update_cache: true })).toContain("unknown argument 'update_cache'");
    expect(argError(packageModule, { name: 'tree', use: 'apt', state: 'latest' })).toBeUndefined();
  });

  test('the package manager comes from gathered facts when there are some', () => {
    expect(factsPkgMgr({ ansible_facts: { pkg_mgr: 'apt' } })).toBe('apt');
    expect(factsPkgMgr({ ansible_pkg_mgr: 'dnf' })).toBe('dnf');
    expect(factsPkgMgr({})).toBeUndefined();
  });

  test('without apt-get on the host it fails as Ansible does', () => {
    const p = packageModule.plan(args(packageModule, { name: 'tree' }), st({ hasAptGet: false }), { host: 'h', check: false, diff: false });
    expect(p).toMatchObject({ kind: 'fail', msg: 'Could not detect which package manager to use. Try gathering facts or setting the "use" option.' });
  });
});
