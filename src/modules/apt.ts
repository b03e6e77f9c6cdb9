// apt: install, upgrade or remove Debian packages and refresh the package cache with apt-get, as
// Ansible's apt module decides; check mode asks apt itself (apt-get --simulate) what would change.

import { z } from 'zod';
import { SamsError } from '../errors.js';
import { aptProbeScript, parseAptProbe, type AptState } from '../facts/apt-state.js';
import { raw, sh, type ShellCommand } from '../shell/quote.js';
import {
  APT_GET_ZERO,
  cleanupCommand,
  DEFAULT_DPKG_OPTIONS,
  installCommand,
  installList,
  parseSimulation,
  removeCommand,
  removeList,
  simulationDiff,
  splitPackageSpec,
  upgradeCommand,
  type AptCommandOptions,
  type PackageSpec,
  type UpgradeMode,
} from './lib/apt-plan.js';
import { toBool, zBool, zInt, zList, zStr } from './lib/args.js';
import { defineModule, type Diff, type Plan, type PlanEnv, type Step, type TaskEnv } from './types.js';

const UPGRADE = ['no', 'yes', 'safe', 'full', 'dist'] as const;

// `upgrade: yes` is a YAML boolean; Ansible maps booleans onto its 'yes'/'no' choices.
const zUpgrade = () => z.preprocess((v) => (typeof v === 'boolean' || typeof v === 'number' ? (toBool(v) ? 'yes' : 'no') : v), z.enum(UPGRADE));

export const aptArgs = z
  .object({
    name: zList(zStr()).optional(),
    pkg: zList(zStr()).optional(),
    package: zList(zStr()).optional(),
    state: z.enum(['present', 'latest', 'absent']).default('present'),
    update_cache: zBool().optional(),
    'update-cache': zBool().optional(),
    cache_valid_time: zInt().default(0),
    update_cache_retries: zInt().default(5),
    update_cache_retry_max_delay: zInt().default(12),
    upgrade: zUpgrade().optional(),
    autoremove: zBool().optional(),
    autoclean: zBool().default(false),
    purge: zBool().default(false),
    install_recommends: zBool().optional(),
    'install-recommends': zBool().optional(),
    default_release: zStr().optional(),
    'default-release': zStr().optional(),
    force: zBool().default(false),
    allow_downgrade: zBool().optional(),
    'allow-downgrade': zBool().optional(),
    allow_downgrades: zBool().optional(),
    'allow-downgrades': zBool().optional(),
    only_upgrade: zBool().default(false),
    dpkg_options: zStr().default(DEFAULT_DPKG_OPTIONS),
    lock_timeout: zInt().default(60),
  })
  .strict()
  .superRefine((a, ctx) => {
    const issue = (message: string, path: string[]) => ctx.addIssue({ code: 'custom', message, path });
    const aliasGroups: string[][] = [
      ['name', 'pkg', 'package'],
      ['update_cache', 'update-cache'],
      ['install_recommends', 'install-recommends'],
      ['default_release', 'default-release'],
      ['allow_downgrade', 'allow-downgrade', 'allow_downgrades', 'allow-downgrades'],
    ];
    for (const g of aliasGroups) {
      const given = g.filter((k) => (a as Record<string, unknown>)[k] !== undefined);
      if (given.length > 1) issue(`give only one of ${given.join(', ')} (they are aliases)`, [given[1]!]);
    }
    const names = a.name ?? a.pkg ?? a.package;
    const nameKey = a.name !== undefined ? 'name' : a.pkg !== undefined ? 'pkg' : 'package';
    if (names === undefined && a.autoremove === undefined && (a.update_cache ?? a['update-cache']) === undefined && a.upgrade === undefined) {
      issue('one of the following is required: autoremove, deb, package, update_cache, upgrade', []);
    }
    if (names !== undefined && a.upgrade !== undefined) issue('parameters are mutually exclusive: deb|package|upgrade', ['upgrade']);
    for (const n of names ?? []) {
      const s = n.trim();
      if (s === '*') {
        if (a.state === 'latest' && names!.some((x) => x.trim() !== '*')) issue('unable to install additional packages when upgrading all installed packages', [nameKey]);
        continue;
      }
      if ((s.match(/=/g) ?? []).length > 1) issue(`invalid package spec: ${s}`, [nameKey]);
      else if (/[*?[\]!]/.test(splitPackageSpec(s).name)) issue(`package name patterns are not supported (${s}); list the packages`, [nameKey]);
    }
    if (a.cache_valid_time < 0) issue('cache_valid_time must not be negative', ['cache_valid_time']);
  });

export type AptArgs = z.output<typeof aptArgs>;

/** The arguments with aliases resolved and package specs split. */
export interface AptRequest {
  specs: PackageSpec[];
  /** `name: '*'` with state latest: upgrade everything. */
  all: boolean;
  state: AptArgs['state'];
  /** update_cache or cache_valid_time asks for a fresh cache. */
  updateRequested: boolean;
  validSeconds: number;
  upgrade?: UpgradeMode;
  autoremove: boolean;
  autoclean: boolean;
  purge: boolean;
  namesGiven: boolean;
  cmd: Omit<AptCommandOptions, 'simulate'>;
  retries: number;
  maxDelay: number;
}

export function aptRequest(a: AptArgs): AptRequest {
  const names = (a.name ?? a.pkg ?? a.package ?? []).map((n) => n.trim());
  const updateCache = a.update_cache ?? a['update-cache'];
  return {
    specs: names.filter((n) => n !== '*').map(splitPackageSpec),
    all: names.includes('*'),
    state: a.state,
    updateRequested: updateCache === true || a.cache_valid_time > 0,
    validSeconds: a.cache_valid_time,
    upgrade: a.upgrade === undefined || a.upgrade === 'no' ? undefined : a.upgrade,
    autoremove: a.autoremove ?? false,
    autoclean: a.autoclean,
    purge: a.purge,
    namesGiven: names.length > 0,
    retries: a.update_cache_retries,
    maxDelay: a.update_cache_retry_max_delay,
    cmd: {
      dpkgOptions: a.dpkg_options,
      lockTimeout: a.lock_timeout,
      force: a.force,
      autoremove: a.autoremove ?? false,
      purge: a.purge,
      onlyUpgrade: a.only_upgrade,
      defaultRelease: a.default_release ?? a['default-release'],
      installRecommends: a.install_recommends ?? a['install-recommends'],
      allowDowngrade: a.allow_downgrade ?? a['allow-downgrade'] ?? a.allow_downgrades ?? a['allow-downgrades'] ?? false,
    },
  };
}

/** What the task does, in apt.py's order: refresh only, upgrade, clean up, install, or remove. */
export type AptAction =
  | { kind: 'update-only' }
  | { kind: 'upgrade'; mode: UpgradeMode }
  | { kind: 'cleanup'; op: 'autoremove' | 'autoclean' }
  | { kind: 'install' }
  | { kind: 'remove' };

export function aptAction(r: AptRequest): AptAction {
  if (r.updateRequested && !r.namesGiven && !r.upgrade) return { kind: 'update-only' };
  if (r.upgrade) return { kind: 'upgrade', mode: r.upgrade };
  if (r.state === 'latest' && r.all) return { kind: 'upgrade', mode: 'yes' };
  if (r.specs.length === 0 && r.autoclean) return { kind: 'cleanup', op: 'autoclean' };
  if (r.specs.length === 0 && r.autoremove) return { kind: 'cleanup', op: 'autoremove' };
  return r.state === 'absent' ? { kind: 'remove' } : { kind: 'install' };
}

function actionCommand(r: AptRequest, action: AptAction, simulate: boolean): ShellCommand | undefined {
  const o = { ...r.cmd, simulate };
  switch (action.kind) {
    case 'upgrade':
      return upgradeCommand(action.mode, o);
    case 'cleanup':
      return cleanupCommand(action.op, o);
    default:
      return undefined;
  }
}

/** The packages apt-get install/remove would be given (pure; the probe and the plan agree on it). */
export function packageList(r: AptRequest, st: AptState): { kind: 'list'; packages: string[] } | { kind: 'fail'; msg: string } {
  if (r.state === 'absent') return { kind: 'list', packages: removeList(r.specs, st.dpkg, r.purge) };
  return installList(r.specs, st.dpkg, st.policy, { upgrade: r.state === 'latest', onlyUpgrade: r.cmd.onlyUpgrade });
}

function listCommand(r: AptRequest, packages: string[], simulate: boolean): ShellCommand {
  const o = { ...r.cmd, simulate };
  return r.state === 'absent' ? removeCommand(packages, o) : installCommand(packages, o);
}

/** Probe state plus the simulation of the install/remove command, when there is one to run. */
export interface AptProbe extends AptState {
  listSimulation?: { rc: number; stdout: string };
}

export async function probeApt(env: Pick<TaskEnv, 'remote' | 'check'>, a: AptArgs): Promise<AptProbe> {
  const r = aptRequest(a);
  const action = aptAction(r);
  const script = aptProbeScript({
    names: [...new Set(r.specs.map((s) => s.name))],
    policy: action.kind === 'install',
    defaultRelease: r.cmd.defaultRelease,
    // The refresh happens here, before the state is read, as apt.py does it first; never in check mode.
    update: r.updateRequested && !env.check ? { validSeconds: r.validSeconds, retries: r.retries, maxDelay: r.maxDelay } : undefined,
    simulate: actionCommand(r, action, true),
  });
  const res = await env.remote.exec(sh`${raw(script)}`);
  if (res.rc !== 0) throw new SamsError(`could not read the package state: ${res.stderr.trim() || `rc ${res.rc}`}`);
  const st: AptProbe = parseAptProbe(res.stdout);
  if (!st.hasAptGet || (st.update && st.update.rc !== 0)) return st;
  if (action.kind === 'install' || action.kind === 'remove') {
    const list = packageList(r, st);
    // A second, read-only round trip only when something is to change: apt's own answer for --check and --diff.
    if (list.kind === 'list' && list.packages.length) {
      const s = await env.remote.exec(sh`${listCommand(r, list.packages, true)} 2>&1`);
      st.listSimulation = { rc: s.rc, stdout: s.stdout };
    }
  }
  return st;
}

/** Runs an apt-get command and reports its output as Ansible's apt does. */
function aptStep(cmd: ShellCommand, failText: string, withMsg: boolean): Step {
  return {
    kind: 'custom',
    describe: cmd.display,
    async apply(env) {
      const r = await env.remote.exec(cmd);
      if (r.rc !== 0) return { ok: false, rc: r.rc, stdout: r.stdout, stderr: r.stderr, msg: `'${failText}' failed: ${r.stderr}` };
      return { ok: true, stdout: r.stdout, stderr: r.stderr, data: withMsg ? { msg: r.stdout } : {} };
    },
  };
}

function packagesDiff(simOut: string): Diff[] {
  const changes = parseSimulation(simOut);
  if (!changes.length) return [];
  return [{ target: 'packages', ...simulationDiff(changes) }];
}

function summary(simOut: string): string {
  const c = parseSimulation(simOut);
  const by = (k: string) => c.filter((x) => x.action === k).map((x) => x.name);
  const parts: string[] = [];
  for (const [k, label] of [['install', 'install'], ['upgrade', 'upgrade'], ['remove', 'remove'], ['purge', 'purge']] as const) {
    const n = by(k);
    if (n.length) parts.push(`${label} ${n.join(' ')}`);
  }
  return parts.join('; ') || 'no package changes';
}

export function planApt(a: AptArgs, st: AptProbe, env: PlanEnv): Plan {
  if (!st.hasAptGet) return { kind: 'fail', msg: 'apt-get was not found on the host', hint: 'the apt module manages Debian/Ubuntu hosts' };
  const r = aptRequest(a);
  const action = aptAction(r);
  if (st.update && st.update.rc !== 0) {
    const out = st.update.output.trim().split('\n').filter((l) => /^(E|W):/.test(l)).join('\n') || st.update.output.trim();
    return { kind: 'fail', msg: `Failed to update apt cache: ${out || 'unknown reason'}` };
  }
  // Ansible reports a refresh that check mode skips as done, and compares the stamp's mtime otherwise.
  const stale = r.updateRequested && st.cacheMtime + r.validSeconds < st.now;
  const cacheUpdated = st.update ? st.update.mtimeAfter !== st.cacheMtime : env.check && stale;
  const cacheTime = st.update ? st.update.mtimeAfter : st.cacheMtime;
  const cache = { cache_updated: cacheUpdated, cache_update_time: cacheTime };

  switch (action.kind) {
    case 'update-only':
      return cacheUpdated
        ? { kind: 'change', steps: [], note: env.check ? 'the package cache would be refreshed' : 'refreshed the package cache', data: cache }
        : { kind: 'ok', note: r.validSeconds > 0 ? `the package cache is younger than ${r.validSeconds}s` : 'the package cache did not change', data: cache };
    case 'upgrade':
    case 'cleanup': {
      const sim = st.simulation ?? { rc: 1, stdout: '' };
      const label = action.kind === 'upgrade' ? (action.mode === 'full' || action.mode === 'dist' ? 'apt-get dist-upgrade' : 'apt-get upgrade --with-new-pkgs') : `apt-get ${action.op}`;
      if (sim.rc !== 0) return { kind: 'fail', msg: `'${label}' failed: ${sim.stdout.trim()}`, data: { stdout: sim.stdout } };
      const changed =
        action.kind === 'upgrade'
          ? !sim.stdout.includes(APT_GET_ZERO)
          : sim.stdout.includes(action.op === 'autoremove' ? 'The following packages will be REMOVED' : 'Del ');
      const withMsg = action.kind === 'upgrade';
      const simData = { ...(withMsg ? { msg: sim.stdout } : {}), stdout: sim.stdout, stderr: '' };
      if (!changed) return { kind: 'ok', note: action.kind === 'upgrade' ? 'nothing to upgrade' : `nothing to ${action.op}`, data: simData };
      const cmd = actionCommand(r, action, false)!;
      return {
        kind: 'change',
        steps: [aptStep(cmd, label, withMsg)],
        note: action.kind === 'upgrade' ? summary(sim.stdout) : `${action.op}: ${summary(sim.stdout)}`,
        diff: packagesDiff(sim.stdout),
        data: env.check ? simData : {},
      };
    }
    case 'install':
    case 'remove': {
      const list = packageList(r, st);
      const keep = action.kind === 'install' ? cache : {};
      if (list.kind === 'fail') return { kind: 'fail', msg: list.msg, data: keep };
      const sim = st.listSimulation;
      const changes = sim ? parseSimulation(sim.stdout) : [];
      const steps: Step[] = [];
      let note = '';
      let diff: Diff[] = [];
      if (list.packages.length && sim) {
        const cmd = listCommand(r, list.packages, false);
        const failText = action.kind === 'remove' ? `apt-get remove ${list.packages.join(' ')}` : cmd.display;
        if (sim.rc !== 0) return { kind: 'fail', msg: `'${failText}' failed: ${sim.stdout.trim()}`, data: { ...keep, stdout: sim.stdout } };
        // apt is the judge: a virtual package already provided simulates to nothing.
        if (changes.length) {
          steps.push(aptStep(cmd, failText, false));
          note = summary(sim.stdout);
          diff = packagesDiff(sim.stdout);
        }
      }
      // Ansible marks every named package as manually installed (apt-mark manual), so autoremove keeps
      // it; outside check mode, and without counting it as a change (apt.py's install() reports
      // changed only for apt-get's work).
      const listed = new Set(list.packages.map((p) => splitPackageSpec(p).name));
      const toMark = action.kind === 'install' && !env.check ? st.auto.filter((n) => st.dpkg[n]?.state === 'installed' && !(steps.length && listed.has(n))) : [];
      const what = r.specs.map((s) => s.spec).join(', ') || 'nothing';
      const okNote = action.kind === 'install' ? `${what}: already ${r.state === 'latest' ? 'the newest version' : 'installed'}` : `${what}: not installed`;
      if (toMark.length) {
        const mark = sh`apt-mark manual ${toMark}`;
        if (steps.length) {
          steps.push({ kind: 'run', cmd: mark });
          note = `${note}; mark ${toMark.join(' ')} as manually installed`;
        } else {
          steps.push(quietMark(mark));
          note = `${okNote}; marked ${toMark.join(' ')} as manually installed`;
        }
      }
      if (!steps.length) return { kind: 'ok', note: okNote, data: keep };
      const data = env.check && sim ? { ...keep, stdout: sim.stdout, stderr: '' } : keep;
      return { kind: 'change', steps, note, diff, data };
    }
  }
}

/** apt-mark manual as a step that does not make the task changed (Ansible's mark_installed_manually). */
function quietMark(cmd: ShellCommand): Step {
  return {
    kind: 'custom',
    describe: cmd.display,
    async apply(env) {
      const r = await env.remote.exec(cmd);
      if (r.rc !== 0) return { ok: false, changed: false, msg: `'${cmd.display}' failed: ${r.stderr}`, rc: r.rc, stdout: r.stdout, stderr: r.stderr };
      return { ok: true, changed: false };
    },
  };
}

export default defineModule({
  name: 'apt',
  summary: 'Install, upgrade or remove Debian packages with apt-get and refresh the package cache; --check asks apt to simulate.',
  where: 'target',
  args: aptArgs,
  check: 'plan',
  probe: (env, a: AptArgs) => probeApt(env, a),
  plan: (a, st, env) => planApt(a, st, env),
});
