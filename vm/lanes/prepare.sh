#!/bin/bash
# Usage: vm/lanes/prepare.sh [v2|container|systemd|all]   (default: all)
#
# Installs what a lane needs (Debian packages) and builds its cached artifacts.
# Idempotent: packages already present are skipped, and artifacts are rebuilt
# only when the stamp of their inputs changed. Needs root.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export DEBIAN_FRONTEND=noninteractive

want=${1:-all}
case $want in
  all) lanes=(v2 container systemd) ;;
  *) is_lane "$want" || die "unknown lane '$want' (v2, container, systemd or all)"; lanes=("$want") ;;
esac
((EUID == 0)) || die "prepare.sh needs root (apt-get, mknod, debootstrap)"

# qemu, the Debian 6.1 kernel (image + modules the guest modprobes from),
# busybox for the initramfs, cpio to pack it, kmod for modprobe in the guest.
packages=(qemu-system-x86 linux-image-amd64 busybox-static cpio kmod xz-utils util-linux)
for l in "${lanes[@]}"; do
  [[ $l == systemd ]] && packages+=(debootstrap)
done

missing=()
for p in "${packages[@]}"; do pkg_installed "$p" || missing+=("$p"); done
if ((${#missing[@]})); then
  note "installing: ${missing[*]}"
  # Wait for another apt-get instead of failing on its lock.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  # No recommends: they pull firmware, ovmf and ipxe, none of which these lanes use.
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$CACHE_DIR/v2" "$CACHE_DIR/systemd" "$CACHE_DIR/runs"
# Forget runs older than a day (run.sh keeps a run's directory only when it failed).
find "$CACHE_DIR/runs" -mindepth 1 -maxdepth 1 -mmin +1440 -exec rm -rf {} + 2>/dev/null || true

krel=$(kernel_release) || die "cannot tell which kernel linux-image-amd64 installs"
initramfs_current() {
  [[ $(cat "$CACHE_DIR/v2/stamp" 2>/dev/null) == "$(initramfs_stamp "$krel")" && -s $CACHE_DIR/v2/initramfs.cpio.gz ]]
}
rootfs_current() {
  [[ $(cat "$CACHE_DIR/systemd/stamp" 2>/dev/null) == "$(rootfs_stamp)" && -x $CACHE_DIR/systemd/rootfs/lib/systemd/systemd ]]
}
need_rootfs=false
[[ " ${lanes[*]} " == *" systemd "* ]] && need_rootfs=true

# Rebuilding swaps files that a booted guest is reading over 9p. run.sh holds
# this lock shared for as long as its guest runs, so take it exclusively, and
# only when there is something to rebuild (an up-to-date prepare never waits).
if ! initramfs_current || { $need_rootfs && ! rootfs_current; }; then
  exec 9>>"$CACHE_DIR/.prepare.lock"
  flock -n 9 || { note "waiting for running lanes (and other prepares) to finish"; flock 9; }
fi

if initramfs_current; then
  note "initramfs up to date (kernel $krel)"
else
  stamp=$(initramfs_stamp "$krel")
  note "building initramfs for kernel $krel"
  build_initramfs "$krel" "$CACHE_DIR/v2/initramfs.cpio.gz"
  printf '%s\n' "$stamp" >"$CACHE_DIR/v2/stamp"
fi

if $need_rootfs; then
  if rootfs_current; then
    note "systemd rootfs up to date"
  else
    stamp=$(rootfs_stamp)
    note "debootstrapping $ROOTFS_SUITE from $(debian_mirror) into $CACHE_DIR/systemd/rootfs (about a minute)"
    rm -f "$CACHE_DIR/systemd/stamp"
    build_rootfs "$CACHE_DIR/systemd/rootfs"
    printf '%s\n' "$stamp" >"$CACHE_DIR/systemd/stamp"
  fi
fi

for l in "${lanes[@]}"; do
  if why=$(check_lane "$l"); then
    note "lane $l is ready"
  else
    note "lane $l is still not ready:"
    indent "$why" >&2
    exit 1
  fi
done
