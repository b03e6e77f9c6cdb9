#!/usr/bin/env bash
# Starts Debian 12 test hosts (systemd-nspawn + overlayfs + slirp4netns) and prints one JSON line per host.
#
#   start.sh [--set SET] [--key PRIVATE_KEY] [--address ADDR|random] [--with-python|--without-python]
#            [--timeout SECONDS] [--owner PID] NAME...
#
# Hosts boot in parallel from the cached base image (build-base.sh runs first, building it if
# needed), each with its own overlay under $SAMS_TESTHOSTS_STATE/SET/NAME, and are reachable as
# root over SSH on ADDR (default 127.0.0.1; "random": a random 127.x.y.z per host) at a free port.
# The script returns once every guest's `systemctl is-system-running --wait` says running or
# degraded. SET (default "default") groups hosts so parallel callers can reuse names. Without
# --key, the set's own client key is made in the set's state dir. With --owner, the set belongs to
# that process: once it is gone, `stop.sh --orphans` stops the set. Stop hosts with stop.sh.
#
# Output, one line per host, in argument order:
#   {"name":"h1","set":"default","address":"127.0.0.1","port":23456,"user":"root","state":"running",
#    "clientKey":"...","knownHosts":"...","stateDir":"...","hostKeys":["ssh-ed25519 AAAA...",...]}
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

set_name=${SAMS_TESTHOSTS_SET:-default}
key=
address=127.0.0.1
base_args=()
timeout=180
owner=
names=()
while [ $# -gt 0 ]; do
  case $1 in
    --set) set_name=$2; shift 2 ;;
    --key) key=$2; shift 2 ;;
    --address) address=$2; shift 2 ;;
    --with-python | --without-python) base_args+=("$1"); shift ;;
    --timeout) timeout=$2; shift 2 ;;
    --owner) owner=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) die "unknown option: $1 (see --help)" ;;
    *) names+=("$1"); shift ;;
  esac
done
[ ${#names[@]} -gt 0 ] || die "no host names given (see --help)"
valid_name "$set_name" || die "bad set name '$set_name': lowercase letters, digits and -, at most 30"
for n in "${names[@]}"; do valid_name "$n" || die "bad host name '$n': lowercase letters, digits and -, at most 30"; done
[ "$(printf '%s\n' "${names[@]}" | sort | uniq -d)" = "" ] || die "duplicate host names"
[ -z "$owner" ] || [ -r "/proc/$owner/stat" ] || die "--owner $owner: no such process"
[[ $address == random || $address =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "--address must be a loopback address (127.x.y.z) or random"

[ "$(id -u)" = 0 ] || die "must run as root (mounts, cgroups, systemd-nspawn)"
for tool in systemd-nspawn slirp4netns socat ssh ssh-keygen unshare flock; do
  command -v "$tool" >/dev/null || die "$tool missing: apt-get install systemd-container slirp4netns socat openssh-client"
done
raise_inotify_limits

base=$("$here/build-base.sh" "${base_args[@]}")
set_dir=$SAMS_TESTHOSTS_STATE/$set_name
mkdir -p "$set_dir"
[ -z "$owner" ] || echo "$owner $(process_start_time "$owner")" >"$set_dir/owner"
if [ -z "$key" ]; then
  key=$set_dir/client_ed25519
  (
    flock 9
    [ -e "$key" ] || ssh-keygen -q -t ed25519 -N '' -C "sams-testhosts-$set_name" -f "$key"
  ) 9>"$set_dir/.lock"
fi
{ [ -r "$key" ] && [ -r "$key.pub" ]; } || die "client key $key (and $key.pub) not readable"
key=$(realpath "$key")

json_str() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }

random_loopback() {
  printf '127.%d.%d.%d' $((RANDOM % 254 + 1)) $((RANDOM % 254 + 1)) $((RANDOM % 254 + 1))
}

# Boots one host and prints its JSON line; on failure prints the reason and the log tails.
start_host() {
  local name=$1 hd addr sup i port deadline out rc
  hd=$(host_dir "$set_name" "$name")
  if [ -s "$hd/supervisor.pid" ] && pid_matches "$(cat "$hd/supervisor.pid")" supervise.sh; then
    log "$name: already running in set $set_name (stop.sh --set $set_name $name)"
    return 1
  fi
  addr=$address
  [ "$addr" = random ] && addr=$(random_loopback)
  mkdir -p "$hd/upper" "$hd/work" "$hd/root"
  rm -f "$hd"/{prepared,failed,port,stopping,exit-status,supervisor.pid,nspawn.pid,slirp.pid,slirp.sock,boots}
  : >"$hd/console.log"
  cat >"$hd/host.env" <<EOF
name=$name
set=$set_name
base=$base
address=$addr
machine=$set_name-$name
cgroup=$(cgroup_leaf "$set_name" "$name")
EOF
  echo "$base" >"$hd/base"
  cp "$key.pub" "$hd/authorized_keys"

  setsid unshare --mount --propagation private -- bash "$here/supervise.sh" "$hd" \
    </dev/null >>"$hd/supervisor.log" 2>&1 &
  sup=$!

  deadline=$((SECONDS + timeout))
  until [ -s "$hd/port" ]; do
    if [ -e "$hd/failed" ] || ! kill -0 "$sup" 2>/dev/null; then
      log "$name: $(cat "$hd/failed" 2>/dev/null || echo "supervisor exited")"
      host_log_tail "$hd" >&2
      return 1
    fi
    [ $SECONDS -lt $deadline ] || { log "$name: no port forwarded within ${timeout}s"; return 1; }
    sleep 0.05
  done
  port=$(cat "$hd/port")

  # The guest's real host keys, made by ssh-keygen -A in its overlay.
  : >"$hd/known_hosts.tmp"
  for pub in "$hd"/upper/etc/ssh/ssh_host_*_key.pub; do
    printf '[%s]:%s %s\n' "$addr" "$port" "$(cut -d' ' -f1-2 "$pub")" >>"$hd/known_hosts.tmp"
  done
  mv "$hd/known_hosts.tmp" "$hd/known_hosts"

  # Before sshd listens, slirp accepts and then drops the connection: ssh exits 255, try again.
  while :; do
    out=$(ssh -F /dev/null -n -o BatchMode=yes -o IdentitiesOnly=yes -i "$key" \
      -o UserKnownHostsFile="$hd/known_hosts" -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes \
      -o ConnectTimeout=5 -o LogLevel=ERROR -p "$port" "root@$addr" systemctl is-system-running --wait 2>&1) && rc=0 || rc=$?
    out=${out##*$'\n'}
    if [ "$out" = running ] || [ "$out" = degraded ]; then break; fi
    if [ -e "$hd/failed" ] || ! kill -0 "$sup" 2>/dev/null; then
      log "$name: $(cat "$hd/failed" 2>/dev/null || echo "supervisor exited") while waiting for SSH"
      host_log_tail "$hd" >&2
      return 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      log "$name: not running within ${timeout}s (last: rc $rc, $out)"
      host_log_tail "$hd" >&2
      return 1
    fi
    if [ "$rc" = 255 ]; then sleep 0.1; else sleep 0.5; fi
  done

  local keys="" line
  while read -r line; do
    keys+=${keys:+,}$(json_str "${line#* }")
  done <"$hd/known_hosts"
  printf '{"name":%s,"set":%s,"address":%s,"port":%s,"user":"root","state":%s,"clientKey":%s,"knownHosts":%s,"stateDir":%s,"hostKeys":[%s]}\n' \
    "$(json_str "$name")" "$(json_str "$set_name")" "$(json_str "$addr")" "$port" "$(json_str "$out")" \
    "$(json_str "$key")" "$(json_str "$hd/known_hosts")" "$(json_str "$hd")" "$keys"
}

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
pids=()
for n in "${names[@]}"; do
  start_host "$n" >"$results/$n" &
  pids+=($!)
done
failed=0
for i in "${!names[@]}"; do
  wait "${pids[$i]}" || { failed=1; log "${names[$i]}: failed to start (stop it with: stop.sh --set $set_name ${names[$i]})"; }
done
for n in "${names[@]}"; do cat "$results/$n"; done
exit $failed
