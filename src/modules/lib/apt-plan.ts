// What Ansible's apt module decides, as pure functions of dpkg/apt state: which packages to
// install or remove (modules/apt.py install()/remove()), the apt-get command lines it runs, and
// what an `apt-get --simulate` run says will change.

import type { AptPolicy, DpkgStatus } from '../../facts/apt-state.js';
import { APT_ENV } from '../../facts/apt-state.js';
import { raw, sh, type ShellCommand } from '../../shell/quote.js';
import { pyFnmatch } from '../../python/fnmatch.js';
import { compareDebVersions } from './deb-version.js';

export const DEFAULT_DPKG_OPTIONS = 'force-confdef,force-confold';
/** apt-get's summary when nothing changes (apt.py APT_GET_ZERO). */
export const APT_GET_ZERO = '\n0 upgraded, 0 newly installed';

export interface PackageSpec {
  /** As written, e.g. "tree=2.1.0-1" or "tree>=2.0". */
  spec: string;
  name: string;
  /** '=': the version is an fnmatch pattern; '>=': the least version wanted. */
  cmp?: '=' | '>=';
  /** The version after the comparison, if any. */
  version?: string;
}

/** apt.py package_split (`re.split(r'(>?=)', spec, 1)`): `name`, `name=version`, `name>=version`. */
export function splitPackageSpec(spec: string): PackageSpec {
  const m = /^(.*?)(>?=)(.*)$/s.exec(spec);
  if (!m) return { spec, name: spec };
  return { spec, name: m[1]!, cmp: m[2] as '=' | '>=', version: m[3]! };
}

/** Whether installed version `v` satisfies the spec (apt.py package_status's version_is_installed). */
function satisfies(v: string, p: PackageSpec): boolean {
  if (p.cmp === '=') return pyFnmatch(v, p.version!);
  if (p.cmp === '>=') return compareDebVersions(v, p.version!) >= 0;
  return true;
}

export interface InstallOptions {
  /** state: latest. */
  upgrade: boolean;
  onlyUpgrade: boolean;
}

export type PackageDecision = { kind: 'list'; packages: string[] } | { kind: 'fail'; msg: string };

/** apt.py package_status() + install(): the `name=version` words to pass to apt-get install. */
export function installList(specs: PackageSpec[], dpkg: Record<string, DpkgStatus>, policy: Record<string, AptPolicy>, o: InstallOptions): PackageDecision {
  const out: string[] = [];
  for (const p of specs) {
    const pol = policy[p.name];
    const d = dpkg[p.name];
    const installed = d?.state === 'installed';
    if (!pol && !installed) return { kind: 'fail', msg: `No package matching '${p.name}' is available` };
    if (pol && pol.candidate === undefined && pol.versions.length === 0 && !installed) {
      // A virtual package: apt.py lets apt-get pick the provider.
      if (!o.onlyUpgrade) out.push(p.name);
      continue;
    }
    if (o.onlyUpgrade && !installed) continue;
    // Ansible pins `=version` at priority 1001: the best match is the highest version matching the
    // pattern. `>=version` sets no pin: the best match is apt's candidate.
    const best = p.cmp === '=' ? pol?.versions.find((v) => pyFnmatch(v, p.version!)) : pol?.candidate;
    let installedVersion = false;
    let installable: string | undefined;
    if (installed) {
      const cur = d!.version;
      installedVersion = satisfies(cur, p);
      if (best && cur !== best && satisfies(best, p)) installable = best;
    } else installable = best; // as apt.py: a package not installed gets the best match, compared or not
    if (!installedVersion && !installable) return { kind: 'fail', msg: `no available installation candidate for ${p.spec}` };
    if (installable && ((!installed && !o.onlyUpgrade) || o.upgrade || !installedVersion)) out.push(`${p.name}=${installable}`);
    else if (installedVersion && installable && p.cmp === '=') out.push(`${p.name}=${p.version}`);
  }
  return { kind: 'list', packages: out };
}

/** apt.py remove(): the specs to pass to apt-get remove (installed ones, or with files left when purging). */
export function removeList(specs: PackageSpec[], dpkg: Record<string, DpkgStatus>, purge: boolean): string[] {
  const out: string[] = [];
  for (const p of specs) {
    const d = dpkg[p.name];
    if (!d) continue;
    const installed = d.state === 'installed';
    const installedVersion = installed && satisfies(d.version, p);
    const hasFiles = d.state !== '' && d.state !== 'not-installed';
    if (installedVersion || (hasFiles && purge)) out.push(p.spec);
  }
  return out;
}

export interface AptCommandOptions {
  dpkgOptions: string;
  lockTimeout: number;
  force: boolean;
  autoremove: boolean;
  purge: boolean;
  onlyUpgrade: boolean;
  defaultRelease?: string;
  installRecommends?: boolean;
  allowDowngrade: boolean;
  simulate: boolean;
}

/** apt.py expand_dpkg_options, plus apt's own wait for the dpkg lock (Ansible retries for lock_timeout). */
function commonOptions(o: AptCommandOptions): string[] {
  const words = o.dpkgOptions
    .split(',')
    .filter((x) => x !== '')
    .flatMap((x) => ['-o', `Dpkg::Options::=--${x}`]);
  return [...words, '-o', `DPkg::Lock::Timeout=${o.lockTimeout}`];
}

function aptGet(words: string[]): ShellCommand {
  return sh`${raw(`env ${APT_ENV}`)} apt-get ${words}`;
}

export function installCommand(packages: string[], o: AptCommandOptions): ShellCommand {
  const w = ['-y', ...commonOptions(o)];
  if (o.onlyUpgrade) w.push('--only-upgrade');
  if (o.force) w.push('--force-yes');
  if (o.autoremove) w.push('--auto-remove');
  if (o.simulate) w.push('--simulate');
  w.push('install', ...packages);
  if (o.defaultRelease !== undefined) w.push('-t', o.defaultRelease);
  if (o.installRecommends === false) w.push('-o', 'APT::Install-Recommends=no');
  else if (o.installRecommends === true) w.push('-o', 'APT::Install-Recommends=yes');
  if (o.allowDowngrade) w.push('--allow-downgrades');
  return aptGet(w);
}

export function removeCommand(packages: string[], o: AptCommandOptions): ShellCommand {
  const w = ['-q', '-y', ...commonOptions(o)];
  if (o.purge) w.push('--purge');
  if (o.force) w.push('--force-yes');
  if (o.autoremove) w.push('--auto-remove');
  if (o.simulate) w.push('--simulate');
  w.push('remove', ...packages);
  return aptGet(w);
}

export type UpgradeMode = 'yes' | 'safe' | 'full' | 'dist';

/** Without aptitude (Ansible's choice when it is missing): safe/yes = upgrade --with-new-pkgs, full/dist = dist-upgrade. */
export function upgradeCommand(mode: UpgradeMode, o: AptCommandOptions): ShellCommand {
  const w = ['-y', ...commonOptions(o)];
  if (o.force) w.push('--force-yes');
  if (o.allowDowngrade) w.push('--allow-downgrades');
  if (o.simulate) w.push('--simulate');
  if (mode === 'full' || mode === 'dist') w.push('dist-upgrade');
  else w.push('upgrade', '--with-new-pkgs');
  if (o.autoremove) w.push('--auto-remove');
  if (o.defaultRelease !== undefined) w.push('-t', o.defaultRelease);
  return aptGet(w);
}

export function cleanupCommand(op: 'autoremove' | 'autoclean', o: AptCommandOptions): ShellCommand {
  const w = ['-y', ...commonOptions(o)];
  if (o.purge) w.push('--purge');
  if (o.force) w.push('--force-yes');
  w.push(op);
  if (o.simulate) w.push('--simulate');
  return aptGet(w);
}

/** One package's change in a simulation. */
export interface SimulatedChange {
  name: string;
  before?: string;
  after?: string;
  action: 'install' | 'upgrade' | 'remove' | 'purge' | 'configure';
}

/** The Inst/Remv/Purg/Conf lines of `apt-get --simulate`. */
export function parseSimulation(out: string): SimulatedChange[] {
  const byName = new Map<string, SimulatedChange>();
  for (const line of out.split('\n')) {
    let m = /^Inst (\S+) (?:\[([^\]]*)\] )?\((\S+)/.exec(line);
    if (m) {
      byName.set(m[1]!, { name: m[1]!, before: m[2], after: m[3], action: m[2] !== undefined ? 'upgrade' : 'install' });
      continue;
    }
    m = /^(Remv|Purg) (\S+)(?: \[([^\]]*)\])?/.exec(line);
    if (m) {
      byName.set(m[2]!, { name: m[2]!, before: m[3], action: m[1] === 'Purg' ? 'purge' : 'remove' });
      continue;
    }
    m = /^Conf (\S+) \((\S+)/.exec(line);
    if (m && !byName.has(m[1]!)) byName.set(m[1]!, { name: m[1]!, before: m[2], after: m[2], action: 'configure' });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Before/after text for --diff: one "name version" line per package that changes. */
export function simulationDiff(changes: SimulatedChange[]): { before: string; after: string } {
  const before = changes.filter((c) => c.before !== undefined).map((c) => `${c.name} ${c.before}\n`);
  const after = changes.filter((c) => c.after !== undefined).map((c) => `${c.name} ${c.after}\n`);
  return { before: before.join(''), after: after.join('') };
}
