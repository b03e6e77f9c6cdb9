#!/usr/bin/env bash
# Runs one test host (started by start.sh inside its own private mount namespace, not by hand):
# mounts the overlay, gives the guest its identity, boots it with systemd-nspawn, forwards a
# loopback port to its sshd with slirp4netns, and boots it again when the guest reboots (exit 133).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
hd=$1
# shellcheck source=/dev/null
. "$hd/host.env"
# shellcheck disable=SC2154 # name, base, address, machine, cgroup: written to host.env by start.sh
: "$name" "$base" "$address" "$machine" "$cgroup"
root=$hd/root

fail() {
  echo "$*" >"$hd/failed"
  log "$name: $*"
  exit 1
}

echo $$ >"$hd/supervisor.pid"
# With --keep-unit nspawn builds the guest's cgroups below the one it runs in: one per host, so
# hosts do not share a tree and stop.sh can find and remove everything a host left.
for r in $(cgroup_roots); do
  { mkdir -p "$r/$cgroup" && echo $$ >"$r/$cgroup/cgroup.procs"; } || fail "cannot enter cgroup $r/$cgroup"
done

# Mounts made here live only in this namespace and vanish with its last process.
mkdir -p /run/systemd/nspawn
mount -t tmpfs -o mode=0755 tmpfs /run/systemd/nspawn || fail "cannot mount tmpfs on /run/systemd/nspawn"
mount -t overlay overlay -o "lowerdir=$base,upperdir=$hd/upper,workdir=$hd/work" "$root" || fail "cannot mount the overlay on $root"

# Identity: kept when the state is reused (start --keep), so only what is missing is made.
[ -s "$root/etc/machine-id" ] || tr -d '-' </proc/sys/kernel/random/uuid >"$root/etc/machine-id"
echo "$name" >"$root/etc/hostname"
# Debian's installer maps the hostname to 127.0.1.1; without it sudo warns "unable to resolve host".
cat >"$root/etc/hosts" <<EOF
127.0.0.1	localhost
127.0.1.1	$name
::1	localhost ip6-localhost ip6-loopback
EOF
ssh-keygen -q -A -f "$root" || fail "ssh-keygen -A failed"
install -d -m 0700 "$root/root/.ssh"
install -m 0600 "$hd/authorized_keys" "$root/root/.ssh/authorized_keys"
touch "$hd/prepared"

nspawn_pid=
slirp_pid=
trap '[ -n "$nspawn_pid" ] && kill -TERM "$nspawn_pid" 2>/dev/null' TERM INT HUP

# The guest's init: the child of nspawn that lives in another network namespace.
guest_pid() {
  local own c i
  own=$(readlink /proc/$$/ns/net)
  for ((i = 0; i < 400; i++)); do
    for c in $(pgrep -P "$nspawn_pid"); do
      local ns
      ns=$(readlink "/proc/$c/ns/net" 2>/dev/null) || continue
      [ "$ns" != "$own" ] && { echo "$c"; return 0; }
    done
    kill -0 "$nspawn_pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

add_hostfwd() {
  local reply
  reply=$(printf '{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_addr":"%s","host_port":%d,"guest_port":22}}' "$address" "$1" |
    socat -t 5 - "UNIX-CONNECT:$hd/slirp.sock" 2>&1)
  [[ $reply == *'"return"'* ]]
}

# Keeps the port across guest reboots; otherwise a random one below the ephemeral range (so it does
# not race with ports the kernel hands out), retried when taken.
forward_port() {
  local port i
  if [ -s "$hd/port" ] && add_hostfwd "$(cat "$hd/port")"; then return 0; fi
  for ((i = 0; i < 50; i++)); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    if add_hostfwd "$port"; then
      echo "$port" >"$hd/port.tmp" && mv "$hd/port.tmp" "$hd/port"
      return 0
    fi
  done
  return 1
}

boots=0
while :; do
  boots=$((boots + 1))
  echo "$boots" >"$hd/boots"
  systemd-nspawn -q -D "$root" -M "$machine" --hostname="$name" -b --register=no --keep-unit \
    --private-network --console=passive --link-journal=no --resolv-conf=off --timezone=off \
    >>"$hd/console.log" 2>&1 </dev/null &
  nspawn_pid=$!
  echo "$nspawn_pid" >"$hd/nspawn.pid"

  gpid=$(guest_pid) || { wait "$nspawn_pid"; fail "systemd-nspawn exited before the guest started (see $hd/console.log)"; }
  rm -f "$hd/slirp.sock"
  slirp4netns --configure --mtu=65520 --disable-host-loopback --api-socket "$hd/slirp.sock" "$gpid" eth0 \
    >>"$hd/slirp.log" 2>&1 </dev/null &
  slirp_pid=$!
  echo "$slirp_pid" >"$hd/slirp.pid"
  for ((i = 0; i < 200; i++)); do [ -S "$hd/slirp.sock" ] && break; sleep 0.05; done
  if ! forward_port; then
    kill -TERM "$nspawn_pid" 2>/dev/null
    fail "slirp4netns could not forward a port on $address (see $hd/slirp.log)"
  fi

  # wait returns early when a trapped signal arrives; only a reaped nspawn ends the loop.
  while :; do
    wait "$nspawn_pid"
    rc=$?
    kill -0 "$nspawn_pid" 2>/dev/null || break
  done
  kill -TERM "$slirp_pid" 2>/dev/null
  wait "$slirp_pid" 2>/dev/null
  rm -f "$hd/slirp.sock" "$hd/slirp.pid"
  echo "$rc" >"$hd/exit-status"
  # 133: the guest asked for a reboot.
  if [ "$rc" -eq 133 ] && [ ! -e "$hd/stopping" ]; then
    log "$name: guest rebooted"
    continue
  fi
  break
done
exit 0
