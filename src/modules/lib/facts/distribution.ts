// distribution_* and os_family facts from the release files, as ansible-core 2.14 computes them
// (module_utils/facts/system/distribution.py with Debian's python3-distro 1.8 underneath),
// and the lsb facts.

import { shlexSplit } from '../../../shell/shlex.js';
import type { Sections } from './sections.js';

type Facts = Record<string, unknown>;

const OS_FAMILY_MAP: Record<string, string[]> = {
  RedHat: ['RedHat', 'RHEL', 'Fedora', 'CentOS', 'Scientific', 'SLC', 'Ascendos', 'CloudLinux', 'PSBM', 'OracleLinux', 'OVS', 'OEL', 'Amazon', 'Virtuozzo', 'XenServer', 'Alibaba', 'EulerOS', 'openEuler', 'AlmaLinux', 'Rocky', 'TencentOS', 'EuroLinux', 'Kylin Linux Advanced Server'],
  Debian: ['Debian', 'Ubuntu', 'Raspbian', 'Neon', 'KDE neon', 'Linux Mint', 'SteamOS', 'Devuan', 'Kali', 'Cumulus Linux', 'Pop!_OS', 'Parrot', 'Pardus GNU/Linux', 'Uos', 'Deepin', 'OSMC'],
  Suse: ['SuSE', 'SLES', 'SLED', 'openSUSE', 'openSUSE Tumbleweed', 'SLES_SAP', 'SUSE_LINUX', 'openSUSE Leap'],
  Archlinux: ['Archlinux', 'Antergos', 'Manjaro'],
  Mandrake: ['Mandrake', 'Mandriva'],
  Solaris: ['Solaris', 'Nexenta', 'OmniOS', 'OpenIndiana', 'SmartOS'],
  Slackware: ['Slackware'],
  Altlinux: ['Altlinux'],
  SGML: ['SGML'],
  Gentoo: ['Gentoo', 'Funtoo'],
  Alpine: ['Alpine'],
  AIX: ['AIX'],
  'HP-UX': ['HPUX'],
  Darwin: ['MacOSX'],
  FreeBSD: ['FreeBSD', 'TrueOS'],
  ClearLinux: ['Clear Linux OS', 'Clear Linux Mix'],
  DragonFly: ['DragonflyBSD', 'DragonFlyBSD', 'Gentoo/DragonflyBSD', 'Gentoo/DragonFlyBSD'],
  NetBSD: ['NetBSD'],
};

const OS_FAMILY = new Map<string, string>();
for (const [family, names] of Object.entries(OS_FAMILY_MAP)) for (const n of names) OS_FAMILY.set(n, family);

export function osFamily(distribution: string): string {
  return OS_FAMILY.get(distribution) ?? distribution;
}

const OSDIST_LIST: { path: string; name: string; allowEmpty?: boolean }[] = [
  { path: '/etc/altlinux-release', name: 'Altlinux' },
  { path: '/etc/oracle-release', name: 'OracleLinux' },
  { path: '/etc/slackware-version', name: 'Slackware' },
  { path: '/etc/centos-release', name: 'CentOS' },
  { path: '/etc/redhat-release', name: 'RedHat' },
  { path: '/etc/vmware-release', name: 'VMwareESX', allowEmpty: true },
  { path: '/etc/openwrt_release', name: 'OpenWrt' },
  { path: '/etc/os-release', name: 'Amazon' },
  { path: '/etc/system-release', name: 'Amazon' },
  { path: '/etc/alpine-release', name: 'Alpine' },
  { path: '/etc/arch-release', name: 'Archlinux', allowEmpty: true },
  { path: '/etc/os-release', name: 'Archlinux' },
  { path: '/etc/os-release', name: 'SUSE' },
  { path: '/etc/SuSE-release', name: 'SUSE' },
  { path: '/etc/gentoo-release', name: 'Gentoo' },
  { path: '/etc/os-release', name: 'Debian' },
  { path: '/etc/lsb-release', name: 'Debian' },
  { path: '/etc/lsb-release', name: 'Mandriva' },
  { path: '/etc/sourcemage-release', name: 'SMGL' },
  { path: '/usr/lib/os-release', name: 'ClearLinux' },
  { path: '/etc/coreos/update.conf', name: 'Coreos' },
  { path: '/etc/os-release', name: 'Flatcar' },
  { path: '/etc/os-release', name: 'NA' },
];

const SEARCH_STRING: Record<string, string> = { OracleLinux: 'Oracle Linux', RedHat: 'Red Hat', Altlinux: 'ALT', SMGL: 'Source Mage GNU/Linux' };
const OS_RELEASE_ALIAS: Record<string, string> = { Archlinux: 'Arch Linux' };

/** Python's str.strip(chars). */
function stripChars(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a]!)) a++;
  while (b > a && chars.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** Python's str.capitalize(). */
function capitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : s;
}

const search = (re: RegExp, s: string) => re.exec(s);

// ---------------------------------------------------------------------------------------------
// The `distro` library (1.8), as far as Ansible uses it.

/** distro's os-release parsing: shell-like KEY=value words, keys lower-cased, plus `codename`. */
export function parseOsRelease(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    let words: string[];
    try {
      words = shlexSplit(line);
    } catch {
      continue;
    }
    for (const w of words) {
      const i = w.indexOf('=');
      if (i > 0) props[w.slice(0, i).toLowerCase()] = w.slice(i + 1);
    }
  }
  if ('version_codename' in props) props.codename = props.version_codename!;
  else if ('ubuntu_codename' in props) props.codename = props.ubuntu_codename!;
  else if ('version' in props) {
    const m = /(\(\D+\))|,(\s+)?\D+/.exec(props.version!);
    if (m) props.codename = stripChars(stripChars(m[0], '()'), ',').trim();
  }
  return props;
}

function parseLsbReleaseOutput(out: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    props[line.slice(0, i).replace(/ /g, '_').toLowerCase()] = line.slice(i + 1).trim();
  }
  return props;
}

/** distro's parse of a release file's first line (matched reversed). */
function parseDistroReleaseContent(line: string | undefined): Record<string, string> {
  if (!line) return {};
  const rev = [...line.trim()].reverse().join('');
  const m = /^(?:[^)]*\)(.*)\()? *(?:STL )?([\d.+\-a-z]*\d) *(?:esaeler *)?(.+)/.exec(rev);
  const r = (s: string) => [...s].reverse().join('');
  const info: Record<string, string> = {};
  if (m) {
    info.name = r(m[3]!);
    if (m[2]) info.version_id = r(m[2]);
    if (m[1]) info.codename = r(m[1]);
  } else if (line) info.name = line.trim();
  return info;
}

const IGNORED_RELEASE_FILES = new Set(['debian_version', 'lsb-release', 'oem-release', 'os-release', 'system-release', 'plesk-release', 'iredmail-release']);

class Distro {
  readonly os: Record<string, string>;
  readonly lsb: Record<string, string>;
  readonly rel: Record<string, string>;
  readonly debianVersion: string;

  constructor(s: Sections) {
    const osText = s.file('/etc/os-release') ?? s.file('/usr/lib/os-release') ?? '';
    this.os = parseOsRelease(osText);
    this.lsb = parseLsbReleaseOutput(s.ok('lsb_release') ?? '');
    this.rel = {};
    // The distro release file: the first /etc/*-release or *_version (sorted) with a name.
    const files = [...new Set(OSDIST_LIST.map((d) => d.path))].filter((p) => p.startsWith('/etc/') && p.split('/').length === 3);
    files.sort();
    for (const p of files) {
      const base = p.slice('/etc/'.length);
      const m = /^(\w+)[-_](release|version)$/.exec(base);
      if (!m || IGNORED_RELEASE_FILES.has(base)) continue;
      const content = s.file(p);
      if (content === undefined) continue;
      const info = parseDistroReleaseContent(content.split('\n')[0]);
      if (info.name !== undefined) {
        info.id = info.name.toLowerCase().includes('cloudlinux') ? 'cloudlinux' : m[1]!;
        this.rel = info;
        break;
      }
    }
    this.debianVersion = (s.file('/etc/debian_version') ?? '').split('\n')[0]!.trimEnd();
  }

  id(): string {
    const norm = (v: string, table: Record<string, string>) => {
      const k = v.toLowerCase().replace(/ /g, '_');
      return table[k] ?? k;
    };
    if (this.os.id) return norm(this.os.id, { ol: 'oracle', 'opensuse-leap': 'opensuse' });
    if (this.lsb.distributor_id) {
      return norm(this.lsb.distributor_id, {
        enterpriseenterpriseas: 'oracle',
        enterpriseenterpriseserver: 'oracle',
        redhatenterpriseworkstation: 'rhel',
        redhatenterpriseserver: 'rhel',
        redhatenterprisecomputenode: 'rhel',
      });
    }
    if (this.rel.id) return norm(this.rel.id, { redhat: 'rhel' });
    return '';
  }

  version(best: boolean): string {
    const versions = [
      this.os.version_id ?? '',
      this.lsb.release ?? '',
      this.rel.version_id ?? '',
      parseDistroReleaseContent(this.os.pretty_name).version_id ?? '',
      parseDistroReleaseContent(this.lsb.description).version_id ?? '',
    ];
    if (this.id() === 'debian' || (this.os.id_like ?? '').split(/\s+/).includes('debian')) versions.push(this.debianVersion);
    let version = '';
    const dots = (v: string) => v.split('.').length - 1;
    for (const v of versions) {
      if (best) {
        if (dots(v) > dots(version) || version === '') version = v;
      } else if (v !== '') return v;
    }
    return version;
  }

  codename(): string {
    if ('codename' in this.os) return this.os.codename!;
    return this.lsb.codename || this.rel.codename || '';
  }
}

// ---------------------------------------------------------------------------------------------
// ansible's sys_info and DistributionFiles.

function guess(d: Distro): Facts {
  let dist = capitalize(d.id());
  if (dist === 'Amzn') dist = 'Amazon';
  else if (dist === 'Rhel') dist = 'Redhat';
  else if (!dist) dist = 'OtherLinux';
  let version = d.version(false);
  const id = d.id();
  if (id === 'centos') version = d.version(true).split('.').slice(0, 2).join('.');
  if (id === 'debian') version = d.version(true);
  let codename: string | null = d.os.version_codename ?? d.os.ubuntu_codename ?? null;
  if (codename === null && id === 'ubuntu') codename = d.lsb.codename ?? null;
  if (codename === null) codename = d.codename() || null;
  const versionOrNa = version || 'NA';
  return {
    distribution: dist || 'NA',
    distribution_version: versionOrNa,
    distribution_release: codename === null ? 'NA' : codename,
    distribution_major_version: versionOrNa.split('.')[0] || 'NA',
  };
}

type Parsed = [boolean, Facts];

function parseDistFile(name: string, data: string, path: string, facts: Facts, d: Distro, s: Sections): Parsed {
  const out: Facts = {};
  switch (name) {
    case 'Slackware': {
      if (!data.includes('Slackware')) return [false, out];
      out.distribution = name;
      const v = /\w+[.]\w+\+?/.exec(data);
      if (v) out.distribution_version = v[0];
      return [true, out];
    }
    case 'Amazon': {
      if (!data.includes('Amazon')) return [false, out];
      out.distribution = 'Amazon';
      if (path === '/etc/os-release') {
        const v = /VERSION_ID="(.*)"/.exec(data);
        if (v) {
          out.distribution_version = v[1];
          const parts = v[1]!.split('.');
          out.distribution_major_version = parts[0];
          out.distribution_minor_version = parts.length > 1 ? parts[1] : 'NA';
        }
      } else {
        out.distribution_version = data.split(/\s+/).find((n) => /^\d+$/.test(n)) ?? 'NA';
      }
      return [true, out];
    }
    case 'OpenWrt': {
      if (!data.includes('OpenWrt')) return [false, out];
      out.distribution = name;
      const v = /DISTRIB_RELEASE="(.*)"/.exec(data);
      if (v) out.distribution_version = v[1];
      const r = /DISTRIB_CODENAME="(.*)"/.exec(data);
      if (r) out.distribution_release = r[1];
      return [true, out];
    }
    case 'Alpine':
      return [true, { distribution: 'Alpine', distribution_version: data }];
    case 'SUSE':
      return parseSuse(data, path, facts, s);
    case 'Debian':
      return parseDebian(data, path);
    case 'Mandriva': {
      if (!data.includes('Mandriva')) return [false, out];
      const v = /DISTRIB_RELEASE="(.*)"/.exec(data);
      if (v) out.distribution_version = v[1];
      const r = /DISTRIB_CODENAME="(.*)"/.exec(data);
      if (r) out.distribution_release = r[1];
      out.distribution = name;
      return [true, out];
    }
    case 'NA': {
      for (const line of data.split('\n')) {
        const dist = /^NAME=(.*)/.exec(line);
        if (dist) out.distribution = stripChars(dist[1]!, '"');
        const v = /^VERSION=(.*)/.exec(line);
        if (v && facts.distribution_version === 'NA') out.distribution_version = stripChars(v[1]!, '"');
      }
      return [true, out];
    }
    case 'Coreos': {
      if (d.id().toLowerCase() !== 'coreos' || !data) return [false, out];
      const r = /^GROUP=(.*)/.exec(data);
      if (r) out.distribution_release = stripChars(r[1]!, '"');
      return [true, out];
    }
    case 'Flatcar': {
      if (d.id().toLowerCase() !== 'flatcar' || !data) return [false, out];
      const v = /VERSION=(.*)/.exec(data);
      if (v) {
        const ver = stripChars(v[1]!, '"');
        out.distribution_major_version = ver.split('.')[0];
        out.distribution_version = ver;
      }
      return [true, out];
    }
    case 'ClearLinux': {
      const pname = /NAME="(.*)"/.exec(data);
      if (pname) {
        if (!pname[1]!.includes('Clear Linux')) return [false, out];
        out.distribution = pname[1];
      }
      const v = /VERSION_ID=(.*)/.exec(data);
      if (v) {
        out.distribution_major_version = v[1];
        out.distribution_version = v[1];
      }
      const r = /ID=(.*)/.exec(data);
      if (r) out.distribution_release = r[1];
      return [true, out];
    }
    case 'CentOS':
      if (data.includes('CentOS Stream')) return [true, { distribution_release: 'Stream' }];
      if (data.includes('TencentOS Server')) return [true, { distribution: 'TencentOS' }];
      return [false, out];
    default:
      // Gentoo and the like have no parser in Ansible: the file is not taken.
      return [false, out];
  }
}

function parseSuse(data: string, path: string, facts: Facts, s: Sections): Parsed {
  const out: Facts = {};
  const lower = data.toLowerCase();
  if (!lower.includes('suse')) return [false, out];
  if (path === '/etc/os-release') {
    for (const line of data.split('\n')) {
      const dist = /^NAME=(.*)/.exec(line);
      if (dist) out.distribution = stripChars(dist[1]!, '"');
      const v = /^VERSION_ID="?([0-9]+\.?[0-9]*)"?/.exec(line);
      if (v) {
        out.distribution_version = v[1];
        out.distribution_major_version = v[1]!.split('.')[0];
      }
      if (lower.includes('open')) {
        const r = /^VERSION_ID="?[0-9]+\.?([0-9]*)"?/.exec(line);
        if (r) out.distribution_release = r[1];
      } else if (lower.includes('enterprise') && line.includes('VERSION_ID')) {
        const r = /^VERSION_ID="?[0-9]+\.?([0-9]*)"?/.exec(line);
        out.distribution_release = r && r[1] ? r[1] : '0';
      }
    }
  } else if (path === '/etc/SuSE-release') {
    const lines = data.split('\n');
    if (lower.includes('open')) {
      out.distribution = (s.file(path) ?? '').split('\n')[0]!.split(/\s+/)[0];
      for (const line of lines) {
        const r = /CODENAME *= *([^\n]+)/.exec(line);
        if (r) out.distribution_release = r[1]!.trim();
      }
    } else if (lower.includes('enterprise')) {
      if (data.includes('Server')) out.distribution = 'SLES';
      else if (data.includes('Desktop')) out.distribution = 'SLED';
      for (const line of lines) {
        const r = /PATCHLEVEL = ([0-9]+)/.exec(line);
        if (r) {
          out.distribution_release = r[1];
          out.distribution_version = `${String(facts.distribution_version)}.${r[1]}`;
        }
      }
    }
  }
  if ((s.raw('baseproduct') ?? '').trim().endsWith('SLES_SAP.prod')) out.distribution = 'SLES_SAP';
  return [true, out];
}

function parseDebian(data: string, path: string): Parsed {
  const out: Facts = {};
  const versionQuoted = () => /VERSION_ID="(.*)"/.exec(data);
  if (data.includes('Debian') || data.includes('Raspbian')) {
    out.distribution = 'Debian';
    const r = search(/PRETTY_NAME=[^(]+ \(?([^)]+?)\)/, data);
    if (r) out.distribution_release = r[1];
    // (Ansible falls back to dpkg's tzdata when there is no release name; not done here.)
    return [true, out];
  }
  if (data.includes('Ubuntu')) return [true, { distribution: 'Ubuntu' }];
  if (data.includes('SteamOS')) return [true, { distribution: 'SteamOS' }];
  if ((path === '/etc/lsb-release' || path === '/etc/os-release') && (data.includes('Kali') || data.includes('Parrot'))) {
    out.distribution = data.includes('Kali') ? 'Kali' : 'Parrot';
    const r = /DISTRIB_RELEASE=(.*)/.exec(data);
    if (r) out.distribution_release = r[1];
    return [true, out];
  }
  if (data.includes('Devuan')) {
    out.distribution = 'Devuan';
    const r = /PRETTY_NAME="?[^("]+ \(?([^) "]+)\)?/.exec(data);
    if (r) out.distribution_release = r[1];
    const v = versionQuoted();
    if (v) {
      out.distribution_version = v[1];
      out.distribution_major_version = v[1];
    }
    return [true, out];
  }
  if (data.includes('Cumulus')) {
    out.distribution = 'Cumulus Linux';
    const v = /VERSION_ID=(.*)/.exec(data);
    if (v) {
      out.distribution_version = v[1];
      out.distribution_major_version = v[1]!.split('.')[0];
    }
    const r = /VERSION="(.*)"/.exec(data);
    if (r) out.distribution_release = r[1];
    return [true, out];
  }
  for (const [needles, dist, release] of [
    [['Mint'], 'Linux Mint', false],
    [['UOS', 'Uos', 'uos'], 'Uos', true],
    [['Deepin', 'deepin'], 'Deepin', true],
  ] as const) {
    if (!needles.some((n) => data.includes(n))) continue;
    out.distribution = dist;
    if (release) {
      const r = /VERSION_CODENAME="?([^"]+)"?/.exec(data);
      if (r) out.distribution_release = r[1];
    }
    const v = versionQuoted();
    if (v) {
      out.distribution_version = v[1];
      out.distribution_major_version = v[1]!.split('.')[0];
    }
    return [true, out];
  }
  return [false, out];
}

/** Ansible's distribution facts on Linux. */
export function distributionFacts(s: Sections, system: string, kernel: string, kernelVersion: string): Facts {
  const facts: Facts = { distribution: system, distribution_release: kernel, distribution_version: kernelVersion };
  if (system === 'Linux') {
    const d = new Distro(s);
    const dist: Facts = guess(d);
    for (const { path, name, allowEmpty } of OSDIST_LIST) {
      const raw = s.file(path);
      if (raw === undefined) continue;
      if (!allowEmpty && raw.length === 0) continue;
      if (allowEmpty) {
        Object.assign(dist, { distribution: name, distribution_file_path: path, distribution_file_variety: name });
        break;
      }
      const data = stripChars(raw.trim(), `'"\\`);
      let parsed: Parsed;
      if (name in SEARCH_STRING) {
        parsed = [true, data.includes(SEARCH_STRING[name]!) ? { distribution: name, distribution_file_search_string: SEARCH_STRING[name] } : { distribution: data.split(/\s+/)[0] }];
      } else if (name in OS_RELEASE_ALIAS) {
        parsed = data.includes(OS_RELEASE_ALIAS[name]!) ? [true, { distribution: name }] : [false, {}];
      } else parsed = parseDistFile(name, data, path, dist, d, s);
      if (parsed[0]) {
        Object.assign(dist, { distribution: name, distribution_file_path: path, distribution_file_variety: name, distribution_file_parsed: true }, parsed[1]);
        break;
      }
    }
    if (dist.distribution === 'Debian' && dist.distribution_file_variety === 'Debian') {
      for (const line of (s.file('/etc/debian_version') ?? '').split('\n')) {
        const m = /(\d+)\.(\d+)/.exec(line.trim());
        if (m) dist.distribution_minor_version = m[2];
      }
    }
    Object.assign(facts, dist);
  }
  facts.os_family = osFamily(String(facts.distribution));
  return facts;
}

/** The lsb facts: lsb_release -a, else /etc/lsb-release. */
export function lsbFacts(s: Sections): Facts {
  const lsb: Record<string, string> = {};
  const out = s.ok('lsb_release');
  if (out !== undefined) {
    for (const line of out.split('\n')) {
      if (!line.includes(':')) continue;
      const value = line.slice(line.indexOf(':') + 1).trim();
      if (line.includes('LSB Version:')) lsb.release = value;
      else if (line.includes('Distributor ID:')) lsb.id = value;
      else if (line.includes('Description:')) lsb.description = value;
      else if (line.includes('Release:')) lsb.release = value;
      else if (line.includes('Codename:')) lsb.codename = value;
    }
  }
  const file = s.file('/etc/lsb-release');
  if (Object.keys(lsb).length === 0 && file !== undefined) {
    for (const line of file.split('\n')) {
      if (!line.includes('=')) continue;
      const value = line.slice(line.indexOf('=') + 1).trim();
      if (line.includes('DISTRIB_ID')) lsb.id = value;
      else if (line.includes('DISTRIB_RELEASE')) lsb.release = value;
      else if (line.includes('DISTRIB_DESCRIPTION')) lsb.description = value;
      else if (line.includes('DISTRIB_CODENAME')) lsb.codename = value;
    }
  }
  if (lsb.release !== undefined) lsb.major_release = lsb.release.split('.')[0]!;
  for (const [k, v] of Object.entries(lsb)) if (v) lsb[k] = stripChars(v, `'"\\`);
  return { lsb };
}
