#!/bin/bash
# Usage: vm/lanes/prepare.sh [LANE|all|lab [host|SUITE]]   (default: all; lanes: check.sh --list)
#
# `lab` prepares what `isolab vm` boots: the packages, then the kernel it names: `host` (this machine's own:
# links into /boot and /lib/modules, no download) or a Debian SUITE's (fetched). isolab vm always names the one
# it chose (src/env/lab-vm.ts, which also checks the host kernel has the guest's modules). Without one, as typed
# by hand: the host's when its image and modules can be read, else LANE_SUITE[lab]'s.
#
# Installs what the lanes need (Debian packages), fetches each lane's kernel from Debian's archive (kernels.sh:
# a private apt state, apt-get download, dpkg-deb -x; this machine's kernel and apt sources stay as they are)
# and builds the cached artifacts. Idempotent: packages already present are skipped, a kernel is fetched only
# when its suite now has another one, and artifacts are rebuilt only when the stamp of their inputs changed.
# Fails when a lane cannot be made ready, a kernel that cannot be fetched included. Needs root.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export DEBIAN_FRONTEND=noninteractive

want=${1:-all}
lab_kernel=${2:-}
case $want in
  all) lanes=("${LANES[@]}") ;;
  lab)
    lanes=(lab)
    if [[ -n $lab_kernel && $lab_kernel != host ]]; then
      [[ $lab_kernel =~ ^[a-z]+$ ]] || die "unknown lab kernel '$lab_kernel' (host or a Debian suite: trixie, bookworm, sid)"
      LANE_SUITE[lab]=$lab_kernel
    fi
    ;;
  *) is_lane "$want" || die "unknown lane '$want' (${LANES[*]} or all)"; lanes=("$want") ;;
esac
((EUID == 0)) || die "prepare.sh needs root (apt-get, mknod, debootstrap)"

# qemu, busybox for the initramfs, cpio to pack it, kmod for depmod here and modprobe in the guest, xz and zstd
# for compressed modules.
packages=(qemu-system-x86 busybox-static cpio kmod xz-utils zstd util-linux)
suites=()
need_rootfs=false
lab_host=false
host_kernel_readable() { host_kernel_image "$(uname -r)" >/dev/null && [[ -r /lib/modules/$(uname -r)/modules.dep ]]; }
for l in "${lanes[@]}"; do
  if [[ $l == lab ]] && { [[ $lab_kernel == host ]] || { [[ -z $lab_kernel ]] && host_kernel_readable; }; }; then
    host_kernel_readable || die "this machine's kernel $(uname -r) has no readable image and modules to boot: prepare.sh lab trixie fetches Debian's"
    lab_host=true
    continue
  fi
  [[ $(lane_machine "$l") == systemd ]] && { packages+=(debootstrap); need_rootfs=true; }
  s=$(lane_suite "$l")
  [[ " ${suites[*]} " == *" $s "* ]] || suites+=("$s")
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

mkdir -p "$CACHE_DIR/kernels" "$CACHE_DIR/systemd" "$CACHE_DIR/runs"
# Forget runs older than a day (run.sh keeps a run's directory only when it failed).
find "$CACHE_DIR/runs" -mindepth 1 -maxdepth 1 -mmin +1440 -exec rm -rf {} + 2>/dev/null || true

# Which kernel each suite has today: asked now, never written down here (sid moves every few weeks). A suite
# that cannot be asked or fetched fails this prepare (at the end, so the other lanes still get ready), and its
# lanes stay unprepared: CI's ISOLAB_REQUIRE_LANES turns that into failing tests.
declare -A wanted=()
failed=false
ok_suites=()
for s in "${suites[@]}"; do
  if ! apt_state_refresh "$s"; then
    note "cannot reach the $s archive; the lanes on its kernel cannot be prepared"
  elif ! wanted[$s]=$(kernel_packages "$s"); then
    note "cannot tell which kernel $s's linux-image-amd64 installs"
  else
    ok_suites+=("$s")
    continue
  fi
  failed=true
done

rootfs_current() {
  [[ $(cat "$CACHE_DIR/systemd/stamp" 2>/dev/null) == "$(rootfs_stamp)" && -x $CACHE_DIR/systemd/rootfs/lib/systemd/systemd ]]
}
stale=false
for s in "${ok_suites[@]}"; do
  kernel_current "$s" "${wanted[$s]}" && initramfs_current "$s" || stale=true
done
$need_rootfs && ! rootfs_current && stale=true

# Rebuilding swaps files that a booted guest is reading over 9p. run.sh holds
# this lock shared for as long as its guest runs, so take it exclusively, and
# only when there is something to rebuild (an up-to-date prepare never waits).
if $stale; then
  exec 9>>"$CACHE_DIR/.prepare.lock"
  flock -n 9 || { note "waiting for running lanes (and other prepares) to finish"; flock 9; }
fi

if $lab_host; then
  exec 9>>"$CACHE_DIR/.prepare.lock"
  flock 9
  host_kernel_prepare && refresh_initramfs host || failed=true
  flock -u 9
fi
for s in "${ok_suites[@]}"; do
  if kernel_current "$s" "${wanted[$s]}"; then
    note "$s kernel up to date ($(kernel_release "$s"))"
  else
    note "fetching the $s kernel: $(tr '\n' ' ' <<<"${wanted[$s]}")"
    fetch_kernel "$s" "${wanted[$s]}" || { note "cannot fetch the $s kernel; the lanes on it cannot run"; failed=true; continue; }
  fi
  if initramfs_current "$s"; then
    note "$s initramfs up to date"
  else
    refresh_initramfs "$s"
  fi
done

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
  s=$(lane_suite "$l")
  [[ $l == lab ]] && $lab_host && s=host
  if why=$(check_lane "$l" "$s"); then
    note "lane $l is ready (kernel $(kernel_release "$s"))"
  else
    note "lane $l is still not ready:"
    indent "$why" >&2
    failed=true
  fi
done
! $failed
