#!/usr/bin/env bash
# Builds (once) and caches the Debian 12 base image the test hosts boot from; prints its root path.
#
#   build-base.sh [--with-python | --without-python] [--tarball]
#
# The image is keyed by a hash of this script's code (and the variant and mirror), so a changed recipe
# builds a new image and an unchanged one is reused: from $SAMS_TESTHOSTS_CACHE/<key>/rootfs when
# present, else unpacked from $SAMS_TESTHOSTS_CACHE/<key>.tar.zst or .tar.gz (the file CI can
# cache), else built with debootstrap (about 5 min). Concurrent runs wait on a lock and then reuse the
# result. Images of an older recipe are deleted once no host state dir refers to them.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

# python3 is what Ansible needs on a target (sams needs none); it costs ~25 MB and a few seconds
# of the one-time build, nothing per host, so it is in by default (see README.md).
python=yes
print=rootfs
for arg in "$@"; do
  case $arg in
    --with-python) python=yes ;;
    --without-python) python=no ;;
    --tarball) print=tarball ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument: $arg (see --help)" ;;
  esac
done

packages=systemd,systemd-sysv,libpam-systemd,dbus,openssh-server,cron,sudo,iproute2,procps,ca-certificates
[ "$python" = yes ] && packages+=,python3
# Timers that would grab the dpkg lock or do disk work in the middle of a test.
masked_timers=(apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer fstrim.timer)

# Comment-only edits keep the key (and the cached image).
recipe_hash=$( { grep -v '^[[:space:]]*\(#\|$\)' "$here/build-base.sh"; echo "$python $SAMS_TESTHOSTS_MIRROR $SAMS_TESTHOSTS_SECURITY_MIRROR"; } | sha256sum | cut -c1-12)
variant=$([ "$python" = yes ] && echo py || echo nopy)
key=bookworm-$variant-$recipe_hash
cache=$SAMS_TESTHOSTS_CACHE
rootfs=$cache/$key/rootfs
ready=$cache/$key/.ready

# zstd packs the ~270 MB tree in 5 s (gzip -1: 12 s, gzip: 40 s); either is unpacked.
existing_tarball() {
  local t
  for t in "$cache/$key.tar.zst" "$cache/$key.tar.gz"; do [ -e "$t" ] && { echo "$t"; return 0; }; done
  return 1
}
result() {
  if [ "$print" = tarball ]; then existing_tarball || die "no tarball of $key in $cache"; else echo "$rootfs"; fi
}

# The tree alone is enough: hosts may be booted from it, so it is never rebuilt in place.
if [ -e "$ready" ]; then result; exit 0; fi

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot)"
mkdir -p "$cache"
exec 9>"$cache/.lock"
if ! flock -w 900 9; then die "timed out waiting for $cache/.lock"; fi
if [ -e "$ready" ]; then result; exit 0; fi

work=$(mktemp -d "$cache/.build-$key.XXXXXX")
trap 'rm -rf --one-file-system "$work"' EXIT
tar_opts=(--numeric-owner --xattrs --xattrs-include='*')

if tarball=$(existing_tarball); then
  log "unpacking $tarball"
  mkdir "$work/rootfs"
  case $tarball in
    *.zst) tar "${tar_opts[@]}" -C "$work/rootfs" --zstd -xf "$tarball" ;;
    *) tar "${tar_opts[@]}" -C "$work/rootfs" -xzf "$tarball" ;;
  esac
else
  command -v debootstrap >/dev/null || die "debootstrap missing: apt-get install debootstrap"
  log "building $key with debootstrap (a few minutes)"
  start=$SECONDS
  # A private mount namespace: whatever debootstrap and chroot mount inside vanishes with them,
  # even when they fail half way.
  mkdir -p "$cache/debs"
  # shellcheck disable=SC2016 # the script is expanded by the inner bash
  unshare --mount --propagation private -- bash -euo pipefail -c '
    root=$1 packages=$2 mirror=$3 security=$4 debs=$5
    failed() { tail -n 30 "$root.debootstrap.log" >&2; exit 1; }
    # Two stages, so dpkg is told before it runs not to fsync every file it unpacks (synced
    # writes take 2.5 ms each on this kind of disk). Guests keep the setting for their own
    # package installs: a test host never has to survive a power cut.
    debootstrap --foreign --variant=minbase --cache-dir="$debs" --include="$packages" bookworm "$root" "$mirror" \
      >"$root.debootstrap.log" 2>&1 || failed
    echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/sams-unsafe-io"
    chroot "$root" /debootstrap/debootstrap --second-stage >>"$root.debootstrap.log" 2>&1 || failed
    cat >"$root/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
SOURCES
    # No translated descriptions: 34 MB of package lists nobody reads.
    echo "Acquire::Languages \"none\";" >"$root/etc/apt/apt.conf.d/99-no-translations"
    # Package lists as of the build, so a guest can apt-get install at once (refresh them in
    # long-lived caches: apt-get update).
    chroot "$root" apt-get -qq update >/dev/null
    chroot "$root" apt-get -qq clean
  ' _ "$work/rootfs" "$packages" "$SAMS_TESTHOSTS_MIRROR" "$SAMS_TESTHOSTS_SECURITY_MIRROR" "$cache/debs"

  r=$work/rootfs
  echo 'LANG=C.UTF-8' >"$r/etc/default/locale"
  # slirp4netns's DNS forwarder; the host's own resolv.conf may name loopback resolvers.
  rm -f "$r/etc/resolv.conf"
  echo 'nameserver 10.0.2.3' >"$r/etc/resolv.conf"
  for t in "${masked_timers[@]}"; do ln -sf /dev/null "$r/etc/systemd/system/$t"; done
  # Per-host identity is made at first boot (start.sh): no shared machine-id or host keys.
  rm -f "$r"/etc/ssh/ssh_host_*
  : >"$r/etc/machine-id"
  rm -f "$r/var/lib/dbus/machine-id"
  ln -s /etc/machine-id "$r/var/lib/dbus/machine-id"
  echo 'debian' >"$r/etc/hostname"
  log "debootstrap and setup took $((SECONDS - start)) s"

  if command -v zstd >/dev/null; then
    tar "${tar_opts[@]}" -C "$r" -cf - . | zstd -q -T0 -3 -o "$work/base.tar"
    mv "$work/base.tar" "$cache/$key.tar.zst"
  else
    tar "${tar_opts[@]}" -C "$r" -cf - . | gzip -1 >"$work/base.tar"
    mv "$work/base.tar" "$cache/$key.tar.gz"
  fi
  tarball=$(existing_tarball)
fi

rm -rf --one-file-system "${cache:?}/$key"
mkdir -p "$cache/$key"
mv "$work/rootfs" "$rootfs"
touch "$ready"

# Images of an earlier recipe go, unless a host (running or kept) still has one as its lower dir.
for old in "$cache"/bookworm-"$variant"-*; do
  [ -e "$old" ] || continue
  old_key=${old##*/}
  old_key=${old_key%%.tar.*}
  [ "$old_key" = "$key" ] && continue
  grep -qsF "$cache/$old_key/" "$SAMS_TESTHOSTS_STATE"/*/*/base && continue
  rm -rf --one-file-system "$old"
done
log "base image ready: $rootfs ($(du -sh "$tarball" | cut -f1) tarball)"
result
