// The one POSIX sh script setup runs on the target: it prints raw material (files, command output)
// in sections that parse-facts.ts turns into Ansible's facts on the control node.
// Section format: a line "\x1esams:NAME", the content, then one newline (removed by the parser).

import { quote } from '../../../shell/quote.js';

/** Files and programs Ansible's collectors look at, by collector. */
export const OSDIST_PATHS = [
  '/etc/altlinux-release', '/etc/oracle-release', '/etc/slackware-version', '/etc/centos-release',
  '/etc/redhat-release', '/etc/vmware-release', '/etc/openwrt_release', '/etc/os-release',
  '/etc/system-release', '/etc/alpine-release', '/etc/arch-release', '/etc/SuSE-release',
  '/etc/gentoo-release', '/etc/lsb-release', '/etc/sourcemage-release', '/usr/lib/os-release',
  '/etc/coreos/update.conf', '/etc/debian_version',
];

export const PKG_MGR_PATHS = [
  '/usr/bin/rpm-ostree', '/usr/bin/yum', '/usr/bin/dnf', '/usr/bin/apt-get', '/usr/bin/zypper',
  '/usr/sbin/urpmi', '/usr/bin/pacman', '/bin/opkg', '/usr/pkg/bin/pkgin', '/opt/local/bin/pkgin',
  '/opt/tools/bin/pkgin', '/opt/local/bin/port', '/usr/local/bin/brew', '/opt/homebrew/bin/brew',
  '/sbin/apk', '/usr/sbin/pkg', '/usr/sbin/swlist', '/usr/bin/emerge', '/usr/sbin/pkgadd',
  '/usr/bin/pkg', '/usr/bin/xbps-install', '/usr/local/sbin/pkg', '/usr/bin/swupd',
  '/usr/sbin/sorcery', '/usr/bin/installp', '/QOpenSys/pkgs/bin/yum', '/run/ostree-booted', '/usr/bin/rpm',
];

const DMI_FIELDS = [
  'bios_date', 'bios_vendor', 'bios_version', 'board_asset_tag', 'board_name', 'board_serial',
  'board_vendor', 'board_version', 'chassis_asset_tag', 'chassis_serial', 'chassis_vendor',
  'chassis_version', 'chassis_type', 'product_family', 'product_name', 'product_serial',
  'product_uuid', 'product_version', 'sys_vendor',
];

const SSH_KEY_FILES = ['/etc/ssh', '/etc/openssh', '/etc'].flatMap((d) => ['dsa', 'rsa', 'ecdsa', 'ed25519'].map((a) => `${d}/ssh_host_${a}_key.pub`));

const q = (paths: string[]) => paths.map(quote).join(' ');

// Helpers: S starts a section, E ends it, f dumps files, c runs a command (first line: rc),
// ex lists the paths that exist, tmo applies the gather timeout when `timeout` exists.
const PRELUDE = String.raw`S() { printf '\036sams:%s\n' "$1"; }
E() { printf '\n'; }
have() { command -v "$1" >/dev/null 2>&1; }
tmo() { if have timeout; then timeout "$gt" "$@"; else "$@"; fi; }
f() { for p in "$@"; do if [ -e "$p" ]; then S "f:$p"; cat "$p" 2>/dev/null; E; fi; done; }
c() { n=$1; shift; if have "$1"; then o=$("$@" 2>/dev/null); r=$?; S "c:$n"; printf '%s\n%s' "$r" "$o"; E; fi; }
ex() { S exists; for p in "$@"; do if [ -e "$p" ]; then printf '%s\n' "$p"; fi; done; E; }`;

const PIECES: Record<string, string> = {
  platform: String.raw`c uname_s uname -s
c uname_r uname -r
c uname_v uname -v
c uname_m uname -m
c uname_n uname -n
c long_bit getconf LONG_BIT
f /var/lib/dbus/machine-id /etc/machine-id
# Python's socket.getfqdn(): resolve the node name, then look the address up again.
S fqdn; a=$(getent ahosts "$(uname -n)" 2>/dev/null | awk 'NR==1{print $1}'); [ -n "$a" ] && getent hosts "$a"; E`,
  distribution: `f ${q(OSDIST_PATHS)}
c lsb_release lsb_release -a
S baseproduct; readlink -f /etc/products.d/baseproduct 2>/dev/null; E`,
  lsb: String.raw`c lsb_release lsb_release -a
f /etc/lsb-release`,
  user: String.raw`u=${'$'}{LOGNAME:-${'$'}{USER:-${'$'}{LNAME:-${'$'}{USERNAME:-}}}}; [ -n "$u" ] || u=$(id -un)
S user; printf 'name=%s\n' "$u"; printf 'pw=%s\n' "$(getent passwd "$u" || getent passwd "$(id -ru)")"
printf 'uid=%s\ngid=%s\nruid=%s\nrgid=%s\n' "$(id -u)" "$(id -g)" "$(id -ru)" "$(id -rg)"; E`,
  env: String.raw`S env; if [ -r /proc/self/environ ]; then cat /proc/self/environ | tr '\000' '\037'; else env; fi; E`,
  date_time: String.raw`c date env LC_ALL=C date '+%Y|%m|%A|%w|%W|%d|%H|%M|%S|%s|%N|%Z|%z'
y=$(date +%Y)
c tz_jan env LC_ALL=C date -d "$y-01-01 12:00" '+%Z|%z'
c tz_jul env LC_ALL=C date -d "$y-07-01 12:00" '+%Z|%z'`,
  dns: 'f /etc/resolv.conf',
  apparmor: 'ex /sys/kernel/security/apparmor',
  fips: 'f /proc/sys/crypto/fips_enabled',
  selinux: 'f /sys/fs/selinux/enforce /sys/fs/selinux/policyvers /etc/selinux/config',
  cmdline: 'f /proc/cmdline',
  loadavg: 'f /proc/loadavg',
  ssh_pub_keys: `f ${q(SSH_KEY_FILES)}`,
  caps: 'c capsh capsh --print',
  chroot: String.raw`S chroot; printf 'debian_chroot=%s\n' "${'$'}{debian_chroot:-}"
printf 'root=%s\n' "$(stat -c '%d %i' / 2>/dev/null)"; printf 'proc1=%s\n' "$(stat -L -c '%d %i' /proc/1/root/. 2>/dev/null)"
printf 'fstype=%s\n' "$(stat -f --format=%T / 2>/dev/null)"; E`,
  local: String.raw`if [ -d "$fp" ]; then S localdir; E; for fn in "$fp"/*.fact; do
  [ -e "$fn" ] || continue
  if [ -x "$fn" ]; then
    e=$(mktemp 2>/dev/null || echo "/tmp/.sams-fact.$$"); o=$(tmo "$fn" 2>"$e"); r=$?
    S "localx:$fn"; printf '%s\n' "$r"; cat "$e"; E; rm -f "$e"; S "localo:$fn"; printf '%s' "$o"; E
  else S "localf:$fn"; cat "$fn" 2>/dev/null; E; fi
done; fi`,
  service_mgr: String.raw`f /proc/1/comm
[ -e /proc/1/comm ] || c ps1 sh -c 'ps -p 1 -o comm | tail -n 1'
S sbin_init; readlink /sbin/init 2>/dev/null; E
ex /run/systemd/system/ /dev/.run/systemd/ /dev/.systemd/ /etc/init/ /sbin/openrc /etc/init.d/
S cmds; for p in systemctl initctl; do have "$p" && printf '%s\n' "$p"; done; E`,
  pkg_mgr: `ex ${q(PKG_MGR_PATHS)}
if [ -e /usr/bin/rpm ]; then c rpm_apt /usr/bin/rpm -q --whatprovides /usr/bin/apt-get; fi`,
  hardware: String.raw`f /proc/meminfo /proc/cpuinfo /proc/uptime /sys/hypervisor/type
ex /proc/xen
c nproc nproc
S dmi; for k in ${DMI_FIELDS.join(' ')}; do [ -r /sys/devices/virtual/dmi/id/$k ] && printf '%s=%s\n' "$k" "$(cat /sys/devices/virtual/dmi/id/$k 2>/dev/null)"; done; E
if [ "$(id -u)" = 0 ] && have vgs; then
  S lvm; E
  c vgs vgs --noheadings --nosuffix --units g --separator ,
  c lvs lvs --noheadings --nosuffix --units g --separator ,
  c pvs pvs --noheadings --nosuffix --units g --separator ,
fi
c lsblk lsblk --list --noheadings --paths --output NAME,UUID --exclude 2
mt=/etc/mtab; [ -e "$mt" ] || mt=/proc/mounts
S mounts
while read -r dev mnt fst opts rest; do
  case $dev in /*|\\*|*:/*) ;; *) continue;; esac
  [ "$fst" = none ] && continue
  m=$(printf '%b' "$(printf '%s' "$mnt" | sed 's/\\\([0-7][0-7][0-7]\)/\\0\1/g')")
  st=$(tmo stat -f -c '%S %b %a %s %c %d' -- "$m" 2>/dev/null)
  printf '%s\t%s\t%s\t%s\t%s\n' "$dev" "$mnt" "$fst" "$opts" "$st"
done < "$mt"
E`,
  network: String.raw`c route4 ip -4 route get 8.8.8.8
c route6 ip -6 route get 2404:6800:400a:800::1012
if have ip; then for d in /sys/class/net/*; do
  [ -d "$d" ] || continue; n=${'$'}{d##*/}
  S "if:$n"
  for k in address mtu operstate type speed flags; do [ -r "$d/$k" ] && v=$(cat "$d/$k" 2>/dev/null) && printf '%s=%s\n' "$k" "$v"; done
  if [ -e "$d/bridge" ]; then printf 'bridge=1\nbrif=%s\n' "$(ls "$d/brif" 2>/dev/null | tr '\n' ' ')"
    [ -r "$d/bridge/bridge_id" ] && printf 'bridge_id=%s\n' "$(cat "$d/bridge/bridge_id")"
    [ -r "$d/bridge/stp_state" ] && printf 'stp_state=%s\n' "$(cat "$d/bridge/stp_state")"; fi
  if [ -e "$d/bonding" ]; then echo bonding=1
    for k in slaves mode miimon lacp_rate primary all_slaves_active; do printf 'bond_%s=%s\n' "$k" "$(cat "$d/bonding/$k" 2>/dev/null)"; done; fi
  [ -e "$d/bonding_slave" ] && printf 'perm_hwaddr=%s\n' "$(cat "$d/bonding_slave/perm_hwaddr" 2>/dev/null)"
  [ -e "$d/device" ] && printf 'pciid=%s\n' "$(basename "$(readlink "$d/device")")"
  [ -e "$d/device/driver/module" ] && printf 'module=%s\n' "$(basename "$(readlink -f "$d/device/driver/module")")"
  E
  S "ipp:$n"; ip addr show primary dev "$n" 2>/dev/null || ip addr show dev "$n" 2>/dev/null; E
  S "ips:$n"; ip addr show secondary dev "$n" 2>/dev/null; E
done; fi`,
  iscsi: 'f /etc/iscsi/initiatorname.iscsi',
  nvme: 'f /etc/nvme/hostnqn',
  fibre_channel_wwn: String.raw`S fc; for p in /sys/class/fc_host/*/port_name; do [ -r "$p" ] && cat "$p"; done; E`,
  virtual: String.raw`f /proc/1/cgroup /run/systemd/container /proc/xen/capabilities /proc/cpuinfo /proc/self/status
S environ1; { tr '\000' '\n' < /proc/1/environ; } 2>/dev/null; E
S dmi; for k in product_name sys_vendor product_family bios_vendor; do [ -r /sys/devices/virtual/dmi/id/$k ] && printf '%s=%s\n' "$k" "$(cat /sys/devices/virtual/dmi/id/$k 2>/dev/null)"; done; E
ex /proc/vz /proc/lve /proc/bc /.dockerenv /.dockerinit /proc/xen /dev/kvm /rhev/ /proc/modules
S modules; cut -d' ' -f1 /proc/modules 2>/dev/null; E`,
};

/** The collectors the script knows how to feed (others produce no facts on Linux without Python). */
export const SCRIPTED = new Set(Object.keys(PIECES));

export interface ScriptOptions {
  /** Collectors to run (resolved from gather_subset). */
  collectors: Set<string>;
  factPath: string;
  gatherTimeout: number;
}

/** The whole script for one setup task. */
export function setupScript(o: ScriptOptions): string {
  const parts = [`gt=${quote(String(o.gatherTimeout))}`, `fp=${quote(o.factPath)}`, PRELUDE];
  for (const name of Object.keys(PIECES)) if (o.collectors.has(name)) parts.push(PIECES[name]!);
  parts.push('exit 0');
  return parts.join('\n');
}
