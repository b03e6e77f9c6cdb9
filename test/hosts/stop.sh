#!/usr/bin/env bash
# Stops test hosts started by start.sh and removes what they left (processes, cgroups, overlays).
#
#   stop.sh [--set SET] [--keep] (NAME... | --all)
#   stop.sh --orphans
#
# Each guest gets SIGTERM (systemd halts it cleanly), SIGKILL after 30 s; then slirp4netns and
# the supervisor end, anything left in the host's cgroups is killed and the cgroups removed.
# Without --keep the host's state dir (overlay upper dir, keys, logs) is deleted too; with it a
# later start.sh of the same SET and NAME boots the same disk again. Unknown names are ignored.
# --orphans stops every set whose owner process (start.sh --owner) has ended: hosts leaked by a
# killed test run.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

set_name=${SAMS_TESTHOSTS_SET:-default}
keep=no
all=no
orphans=no
names=()
while [ $# -gt 0 ]; do
  case $1 in
    --set) set_name=$2; shift 2 ;;
    --keep) keep=yes; shift ;;
    --all) all=yes; shift ;;
    --orphans) orphans=yes; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) die "unknown option: $1 (see --help)" ;;
    *) names+=("$1"); shift ;;
  esac
done
valid_name "$set_name" || die "bad set name '$set_name'"
[ "$(id -u)" = 0 ] || die "must run as root"

if [ "$orphans" = yes ]; then
  for owner_file in "$SAMS_TESTHOSTS_STATE"/*/owner; do
    [ -e "$owner_file" ] || continue
    read -r pid start <"$owner_file" || continue
    [ "$(process_start_time "$pid")" = "$start" ] && continue
    s=$(basename "$(dirname "$owner_file")")
    log "stopping set $s: its owner (pid $pid) has ended"
    "$0" --set "$s" --all || true
  done
  exit 0
fi
set_dir=$SAMS_TESTHOSTS_STATE/$set_name
if [ "$all" = yes ] && [ -d "$set_dir" ]; then
  for d in "$set_dir"/*/; do [ -e "$d/host.env" ] && names+=("$(basename "$d")"); done
fi
[ ${#names[@]} -gt 0 ] || exit 0

# Waits up to $2 tenths of a second for pid $1 (whose command line contains $3) to end.
wait_gone() {
  local i
  for ((i = 0; i < $2; i++)); do pid_matches "$1" "$3" || return 0; sleep 0.1; done
  ! pid_matches "$1" "$3"
}

stop_host() {
  local name=$1 hd sup nsp slirp cg r i left
  valid_name "$name" || { log "bad host name '$name'"; return 1; }
  hd=$(host_dir "$set_name" "$name")
  [ -e "$hd/host.env" ] || return 0
  touch "$hd/stopping"
  sup=$(cat "$hd/supervisor.pid" 2>/dev/null || true)
  nsp=$(cat "$hd/nspawn.pid" 2>/dev/null || true)
  slirp=$(cat "$hd/slirp.pid" 2>/dev/null || true)
  cg=$(cgroup_leaf "$set_name" "$name")

  if pid_matches "$nsp" "$hd/root"; then
    kill -TERM "$nsp" 2>/dev/null || true
    if ! wait_gone "$nsp" 300 "$hd/root"; then
      log "$name: guest did not halt within 30 s, killing it"
      kill -KILL "$nsp" 2>/dev/null || true
    fi
  fi
  if [ -n "$sup" ] && ! wait_gone "$sup" 100 supervise.sh; then
    kill -KILL "$sup" 2>/dev/null || true
  fi
  if pid_matches "$slirp" "$hd/slirp.sock"; then kill -KILL "$slirp" 2>/dev/null || true; fi

  # Whatever is still in the host's cgroups belongs to it alone (a guest killed mid-halt).
  for ((i = 0; i < 50; i++)); do
    left=
    for r in $(cgroup_roots); do left+=$(cgroup_pids "$r/$cg"); done
    [ -z "$left" ] && break
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
    sleep 0.1
  done
  for r in $(cgroup_roots); do
    remove_cgroup "$r/$cg" || log "$name: could not remove cgroup $r/$cg"
  done

  if [ "$keep" = yes ]; then
    rm -f "$hd"/{supervisor.pid,nspawn.pid,slirp.pid,slirp.sock,stopping}
  else
    rm -rf --one-file-system "$hd"
  fi
}

pids=()
for n in "${names[@]}"; do
  stop_host "$n" &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done
# The set's directory goes with its last host (it may hold the set's client key).
if [ "$keep" = no ] && [ -d "$set_dir" ] && [ -z "$(find "$set_dir" -mindepth 1 -maxdepth 1 -type d)" ]; then
  rm -rf "$set_dir"
fi
exit $failed
