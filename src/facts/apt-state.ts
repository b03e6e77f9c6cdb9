// The apt/dpkg state of a host in one round trip: the package cache's age (refreshing it first
// when asked and out of date), dpkg's status of the named packages, apt's candidates and version
// tables, which of them are marked auto-installed, and the output of one `apt-get --simulate`.

import { Sections } from '../modules/lib/facts/sections.js';
import { quote, type ShellCommand } from '../shell/quote.js';

export const APT_UPDATE_SUCCESS_STAMP = '/var/lib/apt/periodic/update-success-stamp';
export const APT_LISTS = '/var/lib/apt/lists';

/** dpkg's view of one package. */
export interface DpkgStatus {
  /** The three words of dpkg's Status field: want, error flag, state ("install ok installed"). */
  want: string;
  state: string;
  version: string;
}

/** apt-cache policy for one package. */
export interface AptPolicy {
  /** The candidate version, or undefined for "(none)". */
  candidate?: string;
  /** The version table, highest first. */
  versions: string[];
}

export interface CommandOutput {
  rc: number;
  stdout: string;
}

export interface AptState {
  /** apt-get is on the PATH. */
  hasAptGet: boolean;
  /** The host's clock (seconds). */
  now: number;
  /** mtime of the update-success stamp (or of the lists directory) before anything ran; 0 when neither exists. */
  cacheMtime: number;
  /** Set when the probe refreshed the cache (update_cache, not in check mode, cache too old). */
  update?: { rc: number; output: string; mtimeAfter: number };
  dpkg: Record<string, DpkgStatus>;
  policy: Record<string, AptPolicy>;
  /** Named packages marked as automatically installed. */
  auto: string[];
  /** The simulation asked for in the probe (upgrade, autoremove, autoclean). */
  simulation?: CommandOutput;
}

export interface AptProbeSpec {
  names: string[];
  /** Read apt-cache policy (install decisions). */
  policy: boolean;
  defaultRelease?: string;
  /** Refresh the cache when it is older than validSeconds (only outside check mode). */
  update?: { validSeconds: number; retries: number; maxDelay: number };
  /** A read-only apt-get --simulate to run after the rest. */
  simulate?: ShellCommand;
}

/** Environment for every apt/dpkg command: no prompts, parseable English output (as Ansible's apt module). */
export const APT_ENV = 'DEBIAN_FRONTEND=noninteractive DEBIAN_PRIORITY=critical LANG=C.UTF-8 LC_ALL=C.UTF-8 LC_MESSAGES=C.UTF-8 LC_CTYPE=C.UTF-8';

const PRELUDE = String.raw`S() { printf '\036sams:%s\n' "$1"; }
E() { printf '\n'; }
export ${APT_ENV}
mt() { if [ -e ${APT_UPDATE_SUCCESS_STAMP} ]; then stat -c %Y ${APT_UPDATE_SUCCESS_STAMP}; elif [ -e ${APT_LISTS} ]; then stat -c %Y ${APT_LISTS}; else echo 0; fi; }`;

export function aptProbeScript(s: AptProbeSpec): string {
  const names = s.names.map(quote).join(' ');
  const lines = [PRELUDE, 'now=$(date +%s); m=$(mt)', 'S now; echo "$now"; E', 'S mtime; echo "$m"; E'];
  lines.push('if ! command -v apt-get >/dev/null 2>&1; then S noapt; E; exit 0; fi');
  if (s.update) {
    const u = s.update;
    // Ansible's update_cache retries: exponential back-off, capped at retry_max_delay.
    lines.push(
      `if [ $((m + ${u.validSeconds})) -lt "$now" ]; then`,
      `  i=0; while :; do o=$(apt-get update -q 2>&1); r=$?; [ "$r" -eq 0 ] && break; i=$((i + 1)); [ "$i" -ge ${Math.max(1, u.retries)} ] && break; d=$((1 << (i - 1))); [ "$d" -gt ${u.maxDelay} ] && d=${u.maxDelay}; sleep "$d"; done`,
      '  S update; printf \'%s\\n%s\' "$r" "$o"; E',
      '  S mtime2; mt; E',
      'fi',
    );
  }
  if (s.names.length) {
    lines.push(`S dpkg; dpkg-query -W -f='\${Package}\\t\${Status}\\t\${Version}\\n' -- ${names} 2>/dev/null; E`);
    if (s.policy) {
      const t = s.defaultRelease !== undefined ? ` -t ${quote(s.defaultRelease)}` : '';
      lines.push(`S policy; apt-cache${t} policy -- ${names} 2>/dev/null; E`);
      // apt-mark showauto, without loading the whole cache: apt's own record of auto-installed packages.
      lines.push(
        `S auto; awk -v want=${quote(` ${s.names.join(' ')} `)} '/^Package: /{p=$2} /^Auto-Installed: 1/{if (index(want, " " p " ")) print p}' /var/lib/apt/extended_states 2>/dev/null; E`,
      );
    }
  }
  if (s.simulate) lines.push(`o=$(${s.simulate.text} 2>&1); r=$?`, 'S sim; printf \'%s\\n%s\' "$r" "$o"; E');
  lines.push('exit 0');
  return lines.join('\n');
}

/** Parse `apt-cache policy` output into candidates and version tables. */
export function parsePolicy(out: string): Record<string, AptPolicy> {
  const res: Record<string, AptPolicy> = {};
  let cur: AptPolicy | undefined;
  let inTable = false;
  for (const line of out.split('\n')) {
    const head = /^(\S+):$/.exec(line);
    if (head) {
      cur = { versions: [] };
      res[head[1]!] = cur;
      inTable = false;
      continue;
    }
    if (!cur) continue;
    const cand = /^ {2}Candidate: (.*)$/.exec(line);
    if (cand) {
      cur.candidate = cand[1] === '(none)' ? undefined : cand[1];
      continue;
    }
    if (/^ {2}Version table:/.test(line)) {
      inTable = true;
      continue;
    }
    const ver = inTable ? /^ (?:\*\*\*| {3}) (\S+) (-?\d+)$/.exec(line) : null;
    if (ver) cur.versions.push(ver[1]!);
  }
  return res;
}

function cmdOutput(raw: string | undefined): CommandOutput | undefined {
  if (raw === undefined) return undefined;
  const nl = raw.indexOf('\n');
  return { rc: Number(nl < 0 ? raw : raw.slice(0, nl)), stdout: nl < 0 ? '' : raw.slice(nl + 1) };
}

export function parseAptProbe(out: string): AptState {
  const sec = new Sections(out);
  const num = (k: string) => Number((sec.raw(k) ?? '0').trim()) || 0;
  const dpkg: Record<string, DpkgStatus> = {};
  for (const line of (sec.raw('dpkg') ?? '').split('\n')) {
    const [pkg, status, version] = line.split('\t');
    if (!pkg || status === undefined) continue;
    const [want = '', , state = ''] = status.split(' ');
    dpkg[pkg] = { want, state, version: version ?? '' };
  }
  const upd = cmdOutput(sec.raw('update'));
  return {
    hasAptGet: !sec.has('noapt'),
    now: num('now'),
    cacheMtime: num('mtime'),
    update: upd ? { rc: upd.rc, output: upd.stdout, mtimeAfter: num('mtime2') } : undefined,
    dpkg,
    policy: parsePolicy(sec.raw('policy') ?? ''),
    auto: [...new Set((sec.raw('auto') ?? '').split('\n').filter((l) => l.trim() !== ''))],
    simulation: cmdOutput(sec.raw('sim')),
  };
}
