// Turning the setup script's output into Ansible's facts (names without the ansible_ prefix),
// collector by collector, following ansible-core 2.14's module_utils/facts on Linux.

import { distributionFacts, lsbFacts } from './distribution.js';
import { parseIni } from './ini.js';
import type { Sections } from './sections.js';

export type Facts = Record<string, unknown>;

const int = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const n = parseInt(s.trim(), 10);
  return Number.isNaN(n) ? undefined : n;
};

// ---------------------------------------------------------------------------------------------
// platform

export function platformFacts(s: Sections): Facts {
  const system = s.ok('uname_s')?.trim() ?? '';
  const machine = s.ok('uname_m')?.trim() ?? '';
  const nodename = s.ok('uname_n')?.trim() ?? '';
  const bits = s.ok('long_bit')?.trim() ?? '';
  const f: Facts = {
    system,
    kernel: s.ok('uname_r')?.trim() ?? '',
    kernel_version: s.ok('uname_v')?.trim() ?? '',
    machine,
    nodename,
    hostname: nodename.split('.')[0],
    fqdn: fqdnOf(s.raw('fqdn'), nodename),
    userspace_bits: bits,
  };
  f.domain = String(f.fqdn).split('.').slice(1).join('.');
  if (machine === 'x86_64' || /i([3456]86|86pc)/.test(machine)) {
    f.architecture = machine === 'x86_64' ? machine : 'i386';
    if (bits === '64') f.userspace_architecture = 'x86_64';
    else if (bits === '32') f.userspace_architecture = 'i386';
  } else f.architecture = machine;
  const mid = s.content('/var/lib/dbus/machine-id') ?? s.content('/etc/machine-id');
  if (mid) f.machine_id = mid.split('\n')[0];
  return f;
}

/** Python's socket.getfqdn(): the first of the canonical name and aliases with a dot, else the canonical name. */
export function fqdnOf(hostsLine: string | undefined, nodename: string): string {
  const names = (hostsLine ?? '').trim().split('\n')[0]!.trim().split(/\s+/).slice(1);
  if (names.length === 0) return nodename;
  return names.find((n) => n.includes('.')) ?? names[0]!;
}

// ---------------------------------------------------------------------------------------------
// user, env, date_time, dns, small ones

export function userFacts(s: Sections): Facts {
  const kv = s.kv('user');
  const pw = (kv.pw ?? '').split(':');
  return {
    user_id: kv.name,
    user_uid: int(pw[2]),
    user_gid: int(pw[3]),
    user_gecos: pw[4],
    user_dir: pw[5],
    user_shell: pw[6],
    real_user_id: int(kv.ruid),
    effective_user_id: int(kv.uid),
    real_group_id: int(kv.rgid),
    // Ansible reports os.getgid() here (the real group), not the effective one.
    effective_group_id: int(kv.rgid),
  };
}

export function envFacts(s: Sections): Facts {
  const raw = s.raw('env') ?? '';
  const env: Record<string, string> = {};
  const entries = raw.includes('\x1f') ? raw.split('\x1f') : raw.split('\n');
  for (const e of entries) {
    const i = e.indexOf('=');
    if (i > 0) env[e.slice(0, i)] = e.slice(i + 1);
  }
  return { env };
}

export function dateTimeFacts(s: Sections): Facts {
  const out = s.ok('date')?.trim();
  if (!out) return {};
  const [year, month, weekday, wdn, weeknumber, day, hour, minute, second, epoch, nanos, tz, tzOffset] = out.split('|') as string[];
  const micro = /^\d+$/.test(nanos ?? '') ? nanos!.padEnd(9, '0').slice(0, 6) : '000000';
  const utc = new Date(Number(epoch) * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  const utcText = `${utc.getUTCFullYear()}-${p(utc.getUTCMonth() + 1)}-${p(utc.getUTCDate())}T${p(utc.getUTCHours())}:${p(utc.getUTCMinutes())}:${p(utc.getUTCSeconds())}`;
  return {
    date_time: {
      year,
      month,
      weekday,
      weekday_number: wdn,
      weeknumber,
      day,
      hour,
      minute,
      second,
      epoch,
      epoch_int: String(parseInt(epoch!, 10)),
      date: `${year}-${month}-${day}`,
      time: `${hour}:${minute}:${second}`,
      iso8601_micro: `${utcText}.${micro}Z`,
      iso8601: `${utcText}Z`,
      iso8601_basic: `${year}${month}${day}T${hour}${minute}${second}${micro}`,
      iso8601_basic_short: `${year}${month}${day}T${hour}${minute}${second}`,
      tz,
      tz_dst: dstName(s, tz!),
      tz_offset: tzOffset,
    },
  };
}

/** time.tzname[1]: the zone's daylight-saving name (its standard name when it has none). */
function dstName(s: Sections, tz: string): string {
  const jan = s.ok('tz_jan')?.trim().split('|');
  const jul = s.ok('tz_jul')?.trim().split('|');
  if (!jan || !jul || jan.length < 2 || jul.length < 2) return tz;
  if (jan[1] === jul[1]) return jan[0]!;
  return Number(jan[1]) > Number(jul[1]) ? jan[0]! : jul[0]!;
}

export function dnsFacts(s: Sections): Facts {
  const dns: Record<string, unknown> = {};
  for (const line of (s.file('/etc/resolv.conf') ?? '').split('\n')) {
    if (line.startsWith('#') || line.startsWith(';') || line.trim() === '') continue;
    const t = line.trim().split(/\s+/);
    switch (t[0]) {
      case 'nameserver':
        dns.nameservers = [...((dns.nameservers as string[]) ?? []), ...t.slice(1)];
        break;
      case 'domain':
        if (t.length > 1) dns.domain = t[1];
        break;
      case 'search':
        dns.search = t.slice(1);
        break;
      case 'sortlist':
        dns.sortlist = t.slice(1);
        break;
      case 'options': {
        const opts: Record<string, unknown> = {};
        for (const o of t.slice(1)) {
          const i = o.indexOf(':');
          opts[i < 0 ? o : o.slice(0, i)] = i < 0 || o.slice(i + 1) === '' ? true : o.slice(i + 1);
        }
        dns.options = opts;
        break;
      }
    }
  }
  return { dns };
}

export function selinuxFacts(s: Sections): Facts {
  const enforce = s.content('/sys/fs/selinux/enforce');
  if (enforce === undefined) return { selinux: { status: 'disabled' }, selinux_python_present: true };
  const config = s.file('/etc/selinux/config') ?? '';
  const get = (k: string) => new RegExp(`^\\s*${k}\\s*=\\s*(\\S+)`, 'm').exec(config)?.[1];
  const mode = (v: string | undefined) => (v === '1' ? 'enforcing' : v === '0' ? 'permissive' : v === '-1' ? 'disabled' : 'unknown');
  const cfg = get('SELINUX');
  const pv = int(s.content('/sys/fs/selinux/policyvers'));
  return {
    selinux: {
      status: 'enabled',
      policyvers: pv ?? 'unknown',
      config_mode: cfg && ['enforcing', 'permissive', 'disabled'].includes(cfg) ? cfg : 'unknown',
      mode: mode(enforce),
      type: get('SELINUXTYPE') ?? 'unknown',
    },
    selinux_python_present: true,
  };
}

/** Python's shlex.split(posix=False): whitespace-separated words, quotes kept. */
function splitNonPosix(text: string): string[] {
  return text.match(/(?:"[^"]*"|'[^']*'|[^\s"']+)+/g) ?? [];
}

export function cmdlineFacts(s: Sections): Facts {
  const data = s.content('/proc/cmdline');
  if (!data) return {};
  const cmdline: Record<string, unknown> = {};
  const proc: Record<string, unknown> = {};
  for (const piece of splitNonPosix(data)) {
    const i = piece.indexOf('=');
    if (i < 0) {
      cmdline[piece] = true;
      proc[piece] = true;
      continue;
    }
    const k = piece.slice(0, i);
    const v = piece.slice(i + 1);
    cmdline[k] = v;
    if (k in proc) proc[k] = Array.isArray(proc[k]) ? [...(proc[k] as unknown[]), v] : [proc[k], v];
    else proc[k] = v;
  }
  return { cmdline, proc_cmdline: proc };
}

export function loadavgFacts(s: Sections): Facts {
  const f = s.content('/proc/loadavg')?.split(/\s+/);
  if (!f || f.length < 3) return {};
  return { loadavg: { '1m': Number(f[0]), '5m': Number(f[1]), '15m': Number(f[2]) } };
}

export function sshPubKeyFacts(s: Sections): Facts {
  const out: Facts = {};
  for (const dir of ['/etc/ssh', '/etc/openssh', '/etc']) {
    for (const algo of ['dsa', 'rsa', 'ecdsa', 'ed25519']) {
      const name = `ssh_host_key_${algo}_public`;
      // Ansible stops at the first directory that repeats a key type it already has.
      if (name in out) return out;
      const data = s.content(`${dir}/ssh_host_${algo}_key.pub`);
      if (data !== undefined) {
        const [keytype, key] = data.split(/\s+/);
        out[name] = key;
        out[`${name}_keytype`] = keytype;
      }
    }
  }
  return out;
}

export function capsFacts(s: Sections): Facts {
  const c = s.cmd('capsh');
  if (!c || c.rc !== 0) return { system_capabilities_enforced: 'N/A', system_capabilities: 'N/A' };
  let enforced = 'NA';
  let caps: string[] = [];
  for (const line of c.out.split('\n')) {
    if (!line.startsWith('Current:')) continue;
    if (line.split(':')[1]!.trim() === '=ep') enforced = 'False';
    else {
      enforced = 'True';
      caps = (line.split('=')[1] ?? '').split(',').map((x) => x.trim());
    }
  }
  return { system_capabilities_enforced: enforced, system_capabilities: caps };
}

export function chrootFacts(s: Sections): Facts {
  const kv = s.kv('chroot');
  if (kv.debian_chroot) return { is_chroot: true };
  const [rdev, rino] = (kv.root ?? '').split(' ');
  if (kv.proc1) {
    const [pdev, pino] = kv.proc1.split(' ');
    return { is_chroot: rino !== pino || rdev !== pdev };
  }
  const fsRootIno = (kv.fstype ?? '').includes('btrfs') ? 256 : (kv.fstype ?? '').includes('xfs') ? 128 : 2;
  return { is_chroot: int(rino) !== fsRootIno };
}

export function localFacts(s: Sections, warn: (m: string) => void): Facts {
  const local: Record<string, unknown> = {};
  if (!s.has('localdir')) return { local };
  const files = new Set([...s.names('localf:'), ...s.names('localx:')]);
  for (const fn of [...files].sort()) {
    const base = fn.slice(fn.lastIndexOf('/') + 1).replace('.fact', '');
    let out: string;
    if (s.has(`localx:${fn}`)) {
      const x = s.raw(`localx:${fn}`)!;
      const nl = x.indexOf('\n');
      const rc = Number(nl < 0 ? x : x.slice(0, nl));
      if (rc !== 0) {
        const failed = `Failure executing fact script (${fn}), rc: ${rc}, err: ${nl < 0 ? '' : x.slice(nl + 1)}`;
        local[base] = failed;
        warn(failed);
        continue;
      }
      out = s.raw(`localo:${fn}`) ?? '';
    } else out = s.raw(`localf:${fn}`) ?? '';
    let fact: unknown;
    try {
      fact = JSON.parse(out);
    } catch {
      const ini = parseIni(out);
      if (ini === undefined) {
        fact = `error loading facts as JSON or ini - please check content: ${fn}`;
        warn(String(fact));
      } else fact = ini;
    }
    local[base] = fact;
  }
  return { local };
}

// ---------------------------------------------------------------------------------------------
// service_mgr, pkg_mgr

export function serviceMgrFacts(s: Sections, f: Facts): Facts {
  const map: Record<string, string> = { procd: 'openwrt_init', 'runit-init': 'runit', svscan: 'svc', 'openrc-init': 'openrc' };
  let proc1: string | undefined = s.content('/proc/1/comm');
  if (proc1 === undefined && !s.file('/proc/1/comm')) {
    const ps = s.cmd('ps1');
    if (ps && ps.rc === 0 && ps.out.trim() && !/^ *[0-9]+ /.test(ps.out) && ps.out.trim() !== 'COMMAND') proc1 = ps.out;
  }
  const initLink = (s.raw('sbin_init') ?? '').trim();
  if (proc1 === undefined && initLink) proc1 = initLink;
  if (proc1 !== undefined) {
    proc1 = proc1.slice(proc1.lastIndexOf('/') + 1).trim();
    if (proc1 === 'init' || proc1.endsWith('sh')) proc1 = undefined;
  }
  const cmds = new Set((s.raw('cmds') ?? '').split('\n').filter(Boolean));
  let mgr: string | undefined;
  if (proc1) mgr = map[proc1] ?? proc1;
  else if (f.distribution === 'MacOSX') mgr = 'launchd';
  else if (String(f.system ?? '').includes('BSD') || f.system === 'Bitrig' || f.system === 'DragonFly') mgr = 'bsdinit';
  else if (f.system === 'AIX') mgr = 'src';
  else if (f.system === 'SunOS') mgr = 'smf';
  else if (f.distribution === 'OpenWrt') mgr = 'openwrt_init';
  else if (f.system === 'Linux') {
    const systemd = cmds.has('systemctl') && ['/run/systemd/system/', '/dev/.run/systemd/', '/dev/.systemd/'].some((p) => s.exists(p));
    if (systemd) mgr = 'systemd';
    else if (cmds.has('initctl') && s.exists('/etc/init/')) mgr = 'upstart';
    else if (s.exists('/sbin/openrc')) mgr = 'openrc';
    else if (cmds.has('systemctl') && initLink.slice(initLink.lastIndexOf('/') + 1) === 'systemd') mgr = 'systemd';
    else if (s.exists('/etc/init.d/')) mgr = 'sysvinit';
  }
  return { service_mgr: mgr ?? 'service' };
}

const PKG_MGRS: [string, string][] = [
  ['/usr/bin/rpm-ostree', 'atomic_container'], ['/usr/bin/yum', 'yum'], ['/usr/bin/dnf', 'dnf'], ['/usr/bin/apt-get', 'apt'],
  ['/usr/bin/zypper', 'zypper'], ['/usr/sbin/urpmi', 'urpmi'], ['/usr/bin/pacman', 'pacman'], ['/bin/opkg', 'opkg'],
  ['/usr/pkg/bin/pkgin', 'pkgin'], ['/opt/local/bin/pkgin', 'pkgin'], ['/opt/tools/bin/pkgin', 'pkgin'], ['/opt/local/bin/port', 'macports'],
  ['/usr/local/bin/brew', 'homebrew'], ['/opt/homebrew/bin/brew', 'homebrew'], ['/sbin/apk', 'apk'], ['/usr/sbin/pkg', 'pkgng'],
  ['/usr/sbin/swlist', 'swdepot'], ['/usr/bin/emerge', 'portage'], ['/usr/sbin/pkgadd', 'svr4pkg'], ['/usr/bin/pkg', 'pkg5'],
  ['/usr/bin/xbps-install', 'xbps'], ['/usr/local/sbin/pkg', 'pkgng'], ['/usr/bin/swupd', 'swupd'], ['/usr/sbin/sorcery', 'sorcery'],
  ['/usr/bin/installp', 'installp'], ['/QOpenSys/pkgs/bin/yum', 'yum'],
];

export function pkgMgrFacts(s: Sections, f: Facts): Facts {
  let mgr = 'unknown';
  for (const [path, name] of PKG_MGRS) {
    if (f.os_family === 'Altlinux' && path === '/usr/bin/pkg') continue;
    if (s.exists(path)) mgr = name;
  }
  const has = (name: string) => PKG_MGRS.some(([p, n]) => n === name && s.exists(p));
  const major = parseInt(String(f.distribution_major_version), 10);
  if (f.os_family === 'RedHat') {
    if (s.exists('/run/ostree-booted')) mgr = 'atomic_container';
    else if (f.distribution === 'Fedora' || f.distribution === 'Amazon') {
      const limit = f.distribution === 'Fedora' ? 23 : 2022;
      if (Number.isNaN(major)) mgr = 'dnf';
      else if (major < limit) {
        if (has('yum')) mgr = 'yum';
      } else if (has('dnf')) mgr = 'dnf';
    } else mgr = major < 8 ? 'yum' : 'dnf';
  } else if (f.os_family === 'Debian' && mgr !== 'apt') mgr = 'apt';
  else if (f.os_family === 'Altlinux' && mgr === 'apt') mgr = 'apt_rpm';
  if (mgr === 'apt' && s.exists('/usr/bin/rpm')) mgr = s.cmd('rpm_apt')?.rc === 0 ? 'apt_rpm' : 'apt';
  return { pkg_mgr: mgr };
}

// ---------------------------------------------------------------------------------------------
// hardware

const FORM_FACTOR = ['Unknown', 'Other', 'Unknown', 'Desktop', 'Low Profile Desktop', 'Pizza Box', 'Mini Tower', 'Tower', 'Portable', 'Laptop', 'Notebook', 'Hand Held', 'Docking Station', 'All In One', 'Sub Notebook', 'Space-saving', 'Lunch Box', 'Main Server Chassis', 'Expansion Chassis', 'Sub Chassis', 'Bus Expansion Chassis', 'Peripheral Chassis', 'RAID Chassis', 'Rack Mount Chassis', 'Sealed-case PC', 'Multi-system', 'CompactPCI', 'AdvancedTCA', 'Blade', 'Blade Enclosure', 'Tablet', 'Convertible', 'Detachable', 'IoT Gateway', 'Embedded PC', 'Mini PC', 'Stick PC'];

export function memoryFacts(s: Sections): Facts {
  const text = s.file('/proc/meminfo');
  if (text === undefined) return {};
  const f: Facts = {};
  const st: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const key = line.slice(0, i);
    const val = Math.floor((int(line.slice(i + 1).trim().split(' ')[0]) ?? 0) / 1024);
    if (['MemTotal', 'SwapTotal', 'MemFree', 'SwapFree'].includes(key)) f[`${key.toLowerCase()}_mb`] = val;
    if (['MemTotal', 'SwapTotal', 'MemFree', 'SwapFree', 'Buffers', 'Cached', 'SwapCached'].includes(key)) st[key.toLowerCase()] = val;
  }
  const d = (...ks: string[]) => ks.every((k) => st[k] !== undefined);
  const nocacheFree = d('cached', 'memfree', 'buffers') ? st.cached! + st.memfree! + st.buffers! : undefined;
  f.memory_mb = {
    real: { total: st.memtotal ?? null, used: d('memtotal', 'memfree') ? st.memtotal! - st.memfree! : null, free: st.memfree ?? null },
    nocache: { free: nocacheFree ?? null, used: st.memtotal !== undefined && nocacheFree !== undefined ? st.memtotal - nocacheFree : null },
    swap: { total: st.swaptotal ?? null, free: st.swapfree ?? null, used: d('swaptotal', 'swapfree') ? st.swaptotal! - st.swapfree! : null, cached: st.swapcached ?? null },
  };
  return f;
}

export function cpuFacts(s: Sections, architecture: string): Facts {
  const text = s.file('/proc/cpuinfo');
  if (text === undefined) return {};
  const xen = s.exists('/proc/xen') || s.content('/sys/hypervisor/type')?.split('\n')[0]?.trim() === 'xen';
  let xenParavirt = false;
  const f: Facts = { processor: [] as string[] };
  let i = 0;
  let vendorIds = 0;
  let modelNames = 0;
  let processors = 0;
  let physid = '0';
  let coreid = '0';
  const sockets = new Map<string, number>();
  const cores = new Map<string, number>();
  for (const line of text.split('\n')) {
    const c = line.indexOf(':');
    const key = (c < 0 ? line : line.slice(0, c)).trim();
    const val = c < 0 ? '' : line.slice(c + 1).trim();
    if (xen && key === 'flags' && !val.includes('vme')) xenParavirt = true;
    if (['model name', 'Processor', 'vendor_id', 'cpu', 'Vendor', 'processor'].includes(key)) {
      (f.processor as string[]).push(val);
      if (key === 'vendor_id') vendorIds++;
      if (key === 'model name') modelNames++;
      if (key === 'processor') processors++;
      i++;
    } else if (key === 'physical id') {
      physid = val;
      if (!sockets.has(physid)) sockets.set(physid, 1);
    } else if (key === 'core id') {
      coreid = val;
      // (sic) Ansible tests `sockets` here, not `cores`.
      if (!sockets.has(coreid)) cores.set(coreid, 1);
    } else if (key === 'cpu cores') sockets.set(physid, int(val) ?? 0);
    else if (key === 'siblings') cores.set(coreid, int(val) ?? 0);
    else if (key === '# processors') f.processor_cores = int(val);
    else if (key === 'ncpus active') i = int(val) ?? i;
  }
  if (vendorIds > 0 && vendorIds === modelNames) i = vendorIds;
  if (/^(armv|aarch|ppc)/.test(architecture)) i = processors;
  if (architecture !== 's390x') {
    if (xenParavirt) Object.assign(f, { processor_count: i, processor_cores: i, processor_threads_per_core: 1, processor_vcpus: i });
    else {
      f.processor_count = sockets.size ? sockets.size : i;
      const sv = [...sockets.values()];
      f.processor_cores = sv.length && sv[0] ? sv[0] : 1;
      const cv = [...cores.values()];
      f.processor_threads_per_core = Math.floor((cv.length ? cv[0]! : 1) / (f.processor_cores as number));
      f.processor_vcpus = (f.processor_threads_per_core as number) * (f.processor_count as number) * (f.processor_cores as number);
      f.processor_nproc = int(s.ok('nproc')) ?? processors;
    }
  }
  return f;
}

export function dmiFacts(s: Sections): Facts {
  const kv = s.kv('dmi');
  if (!('product_name' in kv)) {
    // No /sys DMI data (containers, some VMs): Ansible would try dmidecode; we report NA.
    return Object.fromEntries(['bios_date', 'bios_vendor', 'bios_version', 'board_asset_tag', 'board_name', 'board_serial', 'board_vendor', 'board_version', 'chassis_asset_tag', 'chassis_serial', 'chassis_vendor', 'chassis_version', 'form_factor', 'product_name', 'product_serial', 'product_uuid', 'product_version', 'system_vendor'].map((k) => [k, 'NA']));
  }
  const get = (k: string) => (kv[k] !== undefined && kv[k]!.trim() !== '' ? kv[k]!.trim() : 'NA');
  const f: Facts = {};
  for (const k of ['bios_date', 'bios_vendor', 'bios_version', 'board_asset_tag', 'board_name', 'board_serial', 'board_vendor', 'board_version', 'chassis_asset_tag', 'chassis_serial', 'chassis_vendor', 'chassis_version', 'product_name', 'product_serial', 'product_uuid', 'product_version']) f[k] = get(k);
  f.system_vendor = get('sys_vendor');
  const ct = get('chassis_type');
  f.form_factor = ct === 'NA' ? 'NA' : FORM_FACTOR[Number(ct)] ?? `unknown (${ct})`;
  return f;
}

const unescapeOctal = (v: string) => v.replace(/\\[0-7]{1,3}/g, (m) => String.fromCharCode(parseInt(m.slice(1), 8)));

export function mountFacts(s: Sections): Facts {
  const uuids = new Map<string, string>();
  for (const line of (s.ok('lsblk') ?? '').split('\n')) {
    const [name, uuid] = line.trim().split(/\s+/);
    if (name && uuid) uuids.set(name, uuid);
  }
  const mounts: Facts[] = [];
  for (const line of (s.raw('mounts') ?? '').split('\n')) {
    if (!line) continue;
    const [dev, mnt, fstype, options, st] = line.split('\t').map((x, i) => (i < 4 ? unescapeOctal(x) : x));
    const m: Facts = { mount: mnt, device: dev, fstype, options };
    const n = (st ?? '').trim().split(/\s+/).map(Number);
    if (n.length === 6 && n.every((x) => Number.isFinite(x))) {
      const [frsize, blocks, bavail, bsize, files, ffree] = n as [number, number, number, number, number, number];
      Object.assign(m, {
        size_total: frsize * blocks,
        size_available: frsize * bavail,
        block_size: bsize,
        block_total: blocks,
        block_available: bavail,
        block_used: blocks - bavail,
        inode_total: files,
        inode_available: ffree,
        inode_used: files - ffree,
      });
    }
    m.uuid = uuids.get(dev!) ?? 'N/A';
    mounts.push(m);
  }
  return { mounts };
}

export function lvmFacts(s: Sections): Facts {
  if (!s.has('lvm')) return { lvm: 'N/A' };
  const rows = (name: string) => (s.ok(name) ?? '').split('\n').filter((l) => l.trim()).map((l) => l.trim().split(','));
  const vgs: Facts = {};
  for (const i of rows('vgs')) vgs[i[0]!] = { size_g: i[i.length - 2], free_g: i[i.length - 1], num_lvs: i[2], num_pvs: i[1] };
  const lvs: Facts = {};
  for (const i of rows('lvs')) lvs[i[0]!] = { size_g: i[3], vg: i[1] };
  const pvs: Facts = {};
  for (const i of rows('pvs')) pvs[i[0]!] = { size_g: i[4], free_g: i[5], vg: i[1] };
  return { lvm: { lvs, vgs, pvs } };
}

export function hardwareFacts(s: Sections, architecture: string): Facts {
  const f: Facts = { ...memoryFacts(s), ...cpuFacts(s, architecture), ...dmiFacts(s), ...mountFacts(s), ...lvmFacts(s) };
  const up = s.content('/proc/uptime');
  if (up) f.uptime_seconds = Math.trunc(Number(up.split(' ')[0]));
  return f;
}

// ---------------------------------------------------------------------------------------------
// network

const INTERFACE_TYPE: Record<string, string> = { '1': 'ether', '32': 'infiniband', '512': 'ppp', '772': 'loopback', '65534': 'tunnel' };

function defaultRoute(out: string | undefined, target: string): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  if (!out) return r;
  const words = out.split('\n')[0]!.trim().split(/\s+/);
  if (words[0] !== target) return r;
  for (let i = 0; i < words.length - 1; i++) {
    if (words[i] === 'dev') r.interface = words[i + 1];
    else if (words[i] === 'src') r.address = words[i + 1];
    else if (words[i] === 'via' && words[i + 1] !== target) r.gateway = words[i + 1];
  }
  return r;
}

function ipv4Of(a: string): number {
  return a.split('.').reduce((n, o) => n * 256 + (parseInt(o, 10) & 255), 0) >>> 0;
}
function ipv4Text(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function networkFacts(s: Sections): Facts {
  const def4 = defaultRoute(s.ok('route4'), '8.8.8.8');
  const def6 = defaultRoute(s.ok('route6'), '2404:6800:400a:800::1012');
  const interfaces: Record<string, Record<string, unknown>> = {};
  const all4: string[] = [];
  const all6: string[] = [];
  for (const device of s.names('if:')) {
    const kv = s.kv(`if:${device}`);
    const iface: Record<string, unknown> = { device };
    interfaces[device] = iface;
    const macaddress = kv.address?.trim() ?? '';
    if (macaddress && macaddress !== '00:00:00:00:00:00') iface.macaddress = macaddress;
    if (kv.mtu !== undefined) iface.mtu = int(kv.mtu);
    if (kv.operstate !== undefined) iface.active = kv.operstate.trim() !== 'down';
    if (kv.module) iface.module = kv.module;
    if (kv.type !== undefined) iface.type = INTERFACE_TYPE[kv.type.trim()] ?? 'unknown';
    if (kv.bridge) {
      iface.type = 'bridge';
      iface.interfaces = (kv.brif ?? '').split(/\s+/).filter(Boolean);
      if (kv.bridge_id !== undefined) iface.id = kv.bridge_id;
      if (kv.stp_state !== undefined) iface.stp = kv.stp_state.trim() === '1';
    }
    if (kv.bonding) {
      iface.type = 'bonding';
      iface.slaves = (kv.bond_slaves ?? '').split(/\s+/).filter(Boolean);
      iface.mode = (kv.bond_mode ?? '').split(/\s+/)[0];
      iface.miimon = (kv.bond_miimon ?? '').split(/\s+/)[0];
      iface.lacp_rate = (kv.bond_lacp_rate ?? '').split(/\s+/)[0];
      if (kv.bond_primary) {
        iface.primary = kv.bond_primary;
        if (kv.bond_all_slaves_active !== undefined) iface.all_slaves_active = kv.bond_all_slaves_active.trim() === '1';
      }
    }
    if (kv.perm_hwaddr !== undefined) iface.perm_macaddress = kv.perm_hwaddr;
    if (kv.pciid) iface.pciid = kv.pciid;
    if (kv.speed !== undefined && int(kv.speed) !== undefined) iface.speed = int(kv.speed);
    if (kv.flags !== undefined) iface.promisc = (parseInt(kv.flags, 16) & 0x100) > 0;

    const parse = (output: string, secondary: boolean) => {
      for (const line of output.split('\n')) {
        if (!line.trim()) continue;
        const words = line.trim().split(/\s+/);
        if (words[0] === 'inet') {
          let address: string;
          let len: string;
          let broadcast = '';
          if (words[1]!.includes('/')) {
            [address, len] = words[1]!.split('/') as [string, string];
            if (words.length > 3 && words[2] === 'brd') broadcast = words[3]!;
          } else {
            address = words[1]!;
            len = '32';
          }
          const maskBits = Number(len);
          const mask = maskBits === 0 ? 0 : (0xffffffff << (32 - maskBits)) >>> 0;
          const netmask = ipv4Text(mask);
          const network = ipv4Text((ipv4Of(address) & mask) >>> 0);
          const label = words[words.length - 1]!;
          if (label !== device) interfaces[label] = {};
          const entry = { address, broadcast, netmask, network, prefix: len };
          const target = interfaces[label]!;
          if (!secondary && !('ipv4' in target)) target.ipv4 = entry;
          else target.ipv4_secondaries = [...((target.ipv4_secondaries as unknown[]) ?? []), entry];
          if (secondary) {
            iface.ipv4_secondaries = (iface.ipv4_secondaries as unknown[]) ?? [];
            if (device !== label) (iface.ipv4_secondaries as unknown[]).push(entry);
          }
          if (def4.address === address) {
            Object.assign(def4, { broadcast, netmask, network, prefix: len, macaddress, mtu: iface.mtu, type: iface.type ?? 'unknown', alias: label });
          }
          if (!address.startsWith('127.')) all4.push(address);
        } else if (words[0] === 'inet6') {
          let address: string;
          let prefix: string;
          let scope: string;
          if (words[2] === 'peer') {
            address = words[1]!;
            prefix = words[3]!.split('/')[1]!;
            scope = words[5]!;
          } else {
            [address, prefix] = words[1]!.split('/') as [string, string];
            scope = words[3]!;
          }
          iface.ipv6 = [...((iface.ipv6 as unknown[]) ?? []), { address, prefix, scope }];
          if (def6.address === address) Object.assign(def6, { prefix, scope, macaddress, mtu: iface.mtu, type: iface.type ?? 'unknown' });
          if (address !== '::1') all6.push(address);
        }
      }
    };
    parse(s.raw(`ipp:${device}`) ?? '', false);
    parse(s.raw(`ips:${device}`) ?? '', true);
  }
  const f: Facts = {};
  const names: string[] = [];
  for (const [name, v] of Object.entries(interfaces)) {
    const n = name.replace(/:/g, '_');
    names.push(n);
    f[n] = v;
  }
  return { ...f, interfaces: names, default_ipv4: def4, default_ipv6: def6, all_ipv4_addresses: all4, all_ipv6_addresses: all6 };
}

// ---------------------------------------------------------------------------------------------
// virtual

export function virtualFacts(s: Sections): Facts {
  const v: Facts = {};
  let found = false;
  const guest = new Set<string>();
  const host = new Set<string>();
  const set = (type: string, role?: string) => {
    if (found) return;
    v.virtualization_type = type;
    if (role) v.virtualization_role = role;
    found = true;
  };
  for (const line of (s.file('/proc/1/cgroup') ?? '').split('\n')) {
    if (/\/docker(\/|-[0-9a-f]+\.scope)/.test(line)) {
      guest.add('docker');
      set('docker', 'guest');
    }
    if (/\/lxc\//.test(line) || /\/machine.slice\/machine-lxc/.test(line)) {
      guest.add('lxc');
      set('lxc', 'guest');
    }
    if (/\/system.slice\/containerd.service/.test(line)) {
      guest.add('containerd');
      set('containerd', 'guest');
    }
  }
  for (const line of (s.raw('environ1') ?? '').split('\n')) {
    if (/container=lxc/.test(line)) {
      guest.add('lxc');
      set('lxc', 'guest');
    }
    if (/container=podman/.test(line)) {
      guest.add('podman');
      set('podman', 'guest');
    }
    if (/^container=./.test(line)) {
      guest.add('container');
      set('container', 'guest');
    }
  }
  if (s.exists('/proc/vz') && !s.exists('/proc/lve')) {
    v.virtualization_type = 'openvz';
    if (s.exists('/proc/bc')) {
      host.add('openvz');
      if (!found) v.virtualization_role = 'host';
    } else {
      guest.add('openvz');
      if (!found) v.virtualization_role = 'guest';
    }
    found = true;
  }
  const sc = s.content('/run/systemd/container');
  if (sc) {
    guest.add(sc);
    set(sc, 'guest');
  }
  if (s.exists('/.dockerenv') || s.exists('/.dockerinit')) {
    guest.add('docker');
    set('docker', 'guest');
  }
  if (['docker', 'lxc', 'podman', 'openvz', 'containerd'].some((t) => guest.has(t)) || sc) guest.add('container');
  if (s.exists('/proc/xen')) {
    const isHost = (s.file('/proc/xen/capabilities') ?? '').includes('control_d');
    if (isHost) host.add('xen');
    if (!found) {
      v.virtualization_type = 'xen';
      v.virtualization_role = isHost ? 'host' : 'guest';
    }
    found = true;
  }
  if (!found) v.virtualization_role = 'guest';
  const dmi = s.kv('dmi');
  const product = dmi.product_name?.trim();
  const vendor = dmi.sys_vendor?.trim();
  const family = dmi.product_family?.trim();
  const bios = dmi.bios_vendor?.trim();
  const tech = (t: string, type = t) => {
    guest.add(t);
    if (!found) {
      v.virtualization_type = type;
      found = true;
    }
  };
  if (product && ['KVM', 'KVM Server', 'Bochs', 'AHV'].includes(product)) tech('kvm');
  if (vendor === 'oVirt') tech('oVirt');
  if (vendor === 'Red Hat') {
    if (family === 'RHV') tech('RHV');
    else if (product === 'RHEV Hypervisor') tech('RHEV');
  }
  if (product === 'VMware Virtual Platform' || product === 'VMware7,1') tech('VMware');
  if (product === 'OpenStack Compute' || product === 'OpenStack Nova') tech('openstack');
  if (bios === 'Xen') tech('xen');
  if (bios === 'innotek GmbH') tech('virtualbox');
  if (bios && ['Amazon EC2', 'DigitalOcean', 'Hetzner'].includes(bios)) tech('kvm');
  if (vendor && ['QEMU', 'Amazon EC2', 'DigitalOcean', 'Google', 'Scaleway', 'Nutanix'].includes(vendor)) tech('kvm');
  if (vendor === 'KubeVirt') tech('KubeVirt');
  if (vendor === 'Microsoft Corporation') tech('VirtualPC');
  if (vendor === 'Parallels Software International Inc.') tech('parallels');
  if (vendor === 'OpenStack Foundation') tech('openstack');
  if (!found) delete v.virtualization_role;
  for (const line of (s.file('/proc/self/status') ?? '').split('\n')) {
    if (!/^VxID:\s+\d+/.test(line)) continue;
    if (!found) v.virtualization_type = 'linux_vserver';
    if (/^VxID:\s+0/.test(line)) {
      host.add('linux_vserver');
      if (!found) v.virtualization_role = 'host';
    } else {
      guest.add('linux_vserver');
      if (!found) v.virtualization_role = 'guest';
    }
    found = true;
  }
  for (const line of (s.file('/proc/cpuinfo') ?? '').split('\n')) {
    let t: string | undefined;
    if (/^model name.*QEMU Virtual CPU/.test(line)) t = 'kvm';
    else if (/^vendor_id.*User Mode Linux/.test(line) || /^model name.*UML/.test(line)) t = 'uml';
    else if (/^machine.*CHRP IBM pSeries .emulated by qemu./.test(line)) t = 'kvm';
    else if (/^vendor_id.*PowerVM Lx86/.test(line)) t = 'powervm_lx86';
    else if (/^vendor_id.*IBM\/S390/.test(line)) t = 'PR/SM';
    if (!t) continue;
    guest.add(t);
    if (!found) {
      v.virtualization_type = t;
      v.virtualization_role = t === 'PR/SM' ? 'LPAR' : 'guest';
      found = true;
    }
  }
  const modules = new Set((s.raw('modules') ?? '').split('\n').filter(Boolean));
  if (s.exists('/proc/modules')) {
    if (modules.has('kvm')) {
      host.add('kvm');
      if (!found) {
        v.virtualization_type = 'kvm';
        v.virtualization_role = 'host';
      }
      found = true;
    }
    if (modules.has('vboxdrv')) {
      host.add('virtualbox');
      if (!found) {
        v.virtualization_type = 'virtualbox';
        v.virtualization_role = 'host';
        found = true;
      }
    }
    if (modules.has('virtio')) {
      host.add('kvm');
      if (!found) {
        v.virtualization_type = 'kvm';
        v.virtualization_role = 'guest';
        found = true;
      }
    }
  }
  if (s.exists('/dev/kvm')) {
    host.add('kvm');
    if (!found) {
      v.virtualization_type = 'kvm';
      v.virtualization_role = 'host';
      found = true;
    }
  }
  if (!found) {
    v.virtualization_type = 'NA';
    v.virtualization_role = 'NA';
  }
  v.virtualization_tech_guest = [...guest].sort();
  v.virtualization_tech_host = [...host].sort();
  return v;
}

// ---------------------------------------------------------------------------------------------

export interface ParseOptions {
  collectors: Set<string>;
  warn?: (msg: string) => void;
}

/** Every fact the selected collectors produce, in Ansible's order of collection. */
export function parseFacts(s: Sections, o: ParseOptions): Facts {
  const on = (c: string) => o.collectors.has(c);
  const warn = o.warn ?? (() => undefined);
  const f: Facts = {};
  // platform and distribution first: others depend on them (as Ansible's required_facts).
  const platform = platformFacts(s);
  if (on('platform')) Object.assign(f, platform);
  const dist = on('distribution') ? distributionFacts(s, String(platform.system), String(platform.kernel), String(platform.kernel_version)) : {};
  Object.assign(f, dist);
  const ctx = { ...platform, ...dist };
  if (on('lsb')) Object.assign(f, lsbFacts(s));
  if (on('user')) Object.assign(f, userFacts(s));
  if (on('env')) Object.assign(f, envFacts(s));
  if (on('date_time')) Object.assign(f, dateTimeFacts(s));
  if (on('dns')) Object.assign(f, dnsFacts(s));
  if (on('apparmor')) f.apparmor = { status: s.exists('/sys/kernel/security/apparmor') ? 'enabled' : 'disabled' };
  if (on('fips')) f.fips = s.content('/proc/sys/crypto/fips_enabled') === '1';
  if (on('selinux')) Object.assign(f, selinuxFacts(s));
  if (on('cmdline')) Object.assign(f, cmdlineFacts(s));
  if (on('loadavg')) Object.assign(f, loadavgFacts(s));
  if (on('ssh_pub_keys')) Object.assign(f, sshPubKeyFacts(s));
  if (on('caps')) Object.assign(f, capsFacts(s));
  if (on('chroot')) Object.assign(f, chrootFacts(s));
  if (on('local')) Object.assign(f, localFacts(s, warn));
  if (on('service_mgr')) Object.assign(f, serviceMgrFacts(s, ctx));
  if (on('pkg_mgr')) Object.assign(f, pkgMgrFacts(s, ctx));
  if (on('hardware')) Object.assign(f, hardwareFacts(s, String(platform.architecture)));
  if (on('network')) Object.assign(f, networkFacts(s));
  if (on('virtual')) Object.assign(f, virtualFacts(s));
  if (on('iscsi')) {
    const line = (s.content('/etc/iscsi/initiatorname.iscsi') ?? '').split('\n').find((l) => l.startsWith('InitiatorName='));
    f.iscsi_iqn = line ? line.slice('InitiatorName='.length).trimEnd() : '';
  }
  if (on('nvme')) f.hostnqn = (s.content('/etc/nvme/hostnqn') ?? '').split('\n').find((l) => l.startsWith('nqn.'))?.trim() ?? '';
  if (on('fibre_channel_wwn')) f.fibre_channel_wwn = (s.raw('fc') ?? '').split('\n').filter((l) => l.trim()).map((l) => l.trimEnd().slice(2));
  return f;
}
