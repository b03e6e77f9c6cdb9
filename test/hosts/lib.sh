# Shared settings and helpers for the test-host scripts (sourced, not run).
# shellcheck shell=bash

SAMS_TESTHOSTS_CACHE=${SAMS_TESTHOSTS_CACHE:-/var/cache/sams-testhosts}
SAMS_TESTHOSTS_STATE=${SAMS_TESTHOSTS_STATE:-/var/lib/sams-testhosts}
SAMS_TESTHOSTS_MIRROR=${SAMS_TESTHOSTS_MIRROR:-http://deb.debian.org/debian}
SAMS_TESTHOSTS_SECURITY_MIRROR=${SAMS_TESTHOSTS_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

# Prints the calling script's header comment (its usage).
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "$*"; exit 1; }

# Host and set names become hostnames, machine names and cgroup names: keep them short and plain.
valid_name() { [[ $1 =~ ^[a-z0-9][a-z0-9-]{0,29}$ ]]; }

host_dir() { printf '%s/%s/%s' "$SAMS_TESTHOSTS_STATE" "$1" "$2"; }
cgroup_leaf() { printf 'sams-testhost-%s-%s' "$1" "$2"; }

# The cgroup hierarchies a host gets its own cgroup in: the v2 tree and, on hybrid layouts, the
# named systemd v1 tree (nspawn with --keep-unit builds the guest's cgroups under both).
cgroup_roots() {
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    echo /sys/fs/cgroup
  else
    [ -d /sys/fs/cgroup/unified ] && echo /sys/fs/cgroup/unified
    [ -d /sys/fs/cgroup/systemd ] && echo /sys/fs/cgroup/systemd
  fi
  return 0
}

# True when PID is alive and its command line contains TEXT (guards against reused pids).
pid_matches() {
  local pid=$1 text=$2 cmd
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  cmd=$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || return 1
  [[ $cmd == *"$text"* ]]
}

# A process's start time in clock ticks since boot: with the pid, it names the process for good.
process_start_time() {
  local stat
  stat=$({ cat "/proc/$1/stat"; } 2>/dev/null) || return 1
  local -a fields
  # Field 22 of stat; after the ")" that ends the command name it is the 20th.
  read -ra fields <<<"${stat##*) }"
  echo "${fields[19]}"
}

# Every pid in a cgroup and its descendants.
cgroup_pids() {
  local dir=$1
  [ -d "$dir" ] || return 0
  find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null || true
}

# Removes a cgroup tree bottom-up; a process still in it keeps it (the caller kills them first).
remove_cgroup() {
  local dir=$1
  [ -d "$dir" ] || return 0
  find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
  [ ! -d "$dir" ]
}

# The end of a host's logs: the supervisor's, nspawn's console and the guest's journal.
host_log_tail() {
  local hd=$1
  tail -n 20 "$hd/supervisor.log" "$hd/console.log" 2>/dev/null || true
  if [ -d "$hd/upper/var/log/journal" ] && command -v journalctl >/dev/null; then
    echo "==> guest journal <=="
    journalctl -D "$hd/upper/var/log/journal" --no-pager -q -n 40 2>/dev/null || true
  fi
}

raise_inotify_limits() {
  # Beyond ~15 guests boots fail with "Too many open files" at the default limits.
  local cur
  cur=$(cat /proc/sys/fs/inotify/max_user_instances)
  [ "$cur" -ge 8192 ] || sysctl -q -w fs.inotify.max_user_instances=8192 >/dev/null
  cur=$(cat /proc/sys/fs/inotify/max_user_watches)
  [ "$cur" -ge 1048576 ] || sysctl -q -w fs.inotify.max_user_watches=1048576 >/dev/null
}
