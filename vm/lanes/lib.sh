# shellcheck shell=bash
# Shared by prepare.sh, run.sh and check.sh (sourced, never executed).
#
# Layout of the cache (ISOLAB_LANE_CACHE, default /var/cache/isolab-lanes):
#   apt/<suite>/           a private apt state per Debian suite (kernels.sh)
#   kernels/<suite>/       that suite's kernel, unpacked (kernels.sh), and
#     initramfs.cpio.gz    busybox + its virtio/9p/overlay modules + guest/init
#     stamp                the inputs the initramfs was built from
#   systemd/rootfs/        debootstrap'd bookworm, used read-only as the lower layer
#   systemd/stamp          the inputs the rootfs was built from
#   runs/run.XXXXXX/       one directory per run (generated scripts, console log)
# The guest reads everything through the host's / exported read-only over 9p, so
# every file the guest needs must live at a host path outside /tmp, /run, /proc,
# /sys and /dev (the guest mounts its own filesystems there).

# shellcheck disable=SC2034 # these are used by the scripts that source this file
LANES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The checkout that holds these scripts (vm/lanes/ -> the project root).
CHECKOUT_DIR=$(cd "$LANES_DIR/../.." && pwd)
CACHE_DIR=${ISOLAB_LANE_CACHE:-/var/cache/isolab-lanes}
QEMU=qemu-system-x86_64
# shellcheck source-path=SCRIPTDIR source=kernels.sh
. "$LANES_DIR/kernels.sh"

# Modules the initramfs needs to reach the 9p share and build the overlay root.
# Their dependencies (virtio_ring, netfs, fscache, ...) are resolved from modules.dep.
INITRAMFS_MODULES=(virtio_pci 9pnet_virtio 9p overlay)

# The systemd lane's root filesystem recipe: minbase plus these packages.
# libpam-systemd and dbus-user-session are what a normal (non-minbase) install
# has: without them user@.service cannot start and `systemd-run --user` has no
# bus. procps and iproute2 give the classroom its ps and ip.
ROOTFS_SUITE=bookworm
ROOTFS_INCLUDE=systemd,systemd-sysv,dbus,sudo,udev,kmod,libpam-systemd,dbus-user-session,procps,iproute2

note() { printf 'isolab-lane: %s\n' "$*" >&2; }
die() { note "$*"; exit 1; }
indent() { local l; while IFS= read -r l; do printf '  %s\n' "$l"; done <<<"$1"; }

is_lane() {
  local l
  for l in "${LANES[@]}"; do [[ $1 == "$l" ]] && return 0; done
  return 1
}

pkg_installed() {
  [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

pkg_version() {
  dpkg-query -W -f='${Version}' "$1" 2>/dev/null
}

sha_of() {
  sha256sum | cut -c1-16
}

# What the initramfs is built from. Any change here means "rebuild".
# `declare -f` prints the builder's normalised source, so editing it counts too.
initramfs_stamp() {
  local suite=$1
  {
    printf 'kernel=%s busybox=%s modules=%s\n' "$(cat "$(kernel_dir "$suite")/packages" 2>/dev/null)" \
      "$(pkg_version busybox-static)" "${INITRAMFS_MODULES[*]}"
    cat "$LANES_DIR/guest/init"
    declare -f build_initramfs add_module
  } | sha_of
}

# The initramfs cached for SUITE's kernel was built from today's inputs.
initramfs_current() {
  local kdir
  kdir=$(kernel_dir "$1")
  [[ $(cat "$kdir/stamp" 2>/dev/null) == "$(initramfs_stamp "$1")" && -s $kdir/initramfs.cpio.gz ]]
}

# (Re)builds SUITE's initramfs when its inputs changed. The caller holds the prepare lock exclusively.
refresh_initramfs() {
  local stamp
  initramfs_current "$1" && return 0
  stamp=$(initramfs_stamp "$1")
  note "building the initramfs for the $1 kernel $(kernel_release "$1")"
  build_initramfs "$1"
  printf '%s\n' "$stamp" >"$(kernel_dir "$1")/stamp"
}

rootfs_stamp() {
  {
    printf 'suite=%s include=%s mirror=%s\n' "$ROOTFS_SUITE" "$ROOTFS_INCLUDE" "$(debian_mirror)"
    declare -f build_rootfs customize_rootfs
  } | sha_of
}

# Appends the .ko path of module $1 to MODULE_ORDER after its dependencies
# (modules.dep lists every dependency; recursing first gives a valid load order,
# e.g. virtio_ring before virtio). Built-in modules are skipped.
add_module() {
  local name=$1 line dep dname
  [[ -n ${MODULE_SEEN[$name]:-} ]] && return 0
  MODULE_SEEN[$name]=1
  # No line is no error yet (built in, below); `|| true` keeps grep's status 1 from ending prepare (pipefail).
  line=$(grep -E "(^|/)${name}\.ko(\.[a-z]+)?:" "$MODULE_DIR/modules.dep" | head -n1 || true)
  if [[ -z $line ]]; then
    grep -qE "(^|/)${name}\.ko\$" "$MODULE_DIR/modules.builtin" 2>/dev/null && return 0
    die "module $name not found in $MODULE_DIR/modules.dep"
  fi
  for dep in ${line#*:}; do
    dname=${dep##*/}
    add_module "${dname%%.ko*}"
  done
  MODULE_ORDER+=("${line%%:*}")
}

# build_initramfs SUITE: kernels/<suite>/initramfs.cpio.gz for the kernel cached there ("host": this
# machine's own kernel, see host_kernel_prepare).
build_initramfs() {
  local kdir stage ko name out
  local -A MODULE_SEEN=()
  local -a MODULE_ORDER=()
  local MODULE_DIR
  kdir=$(kernel_dir "$1")
  MODULE_DIR=$kdir/root/lib/modules/$(kernel_release "$1")
  out=$kdir/initramfs.cpio.gz
  for name in "${INITRAMFS_MODULES[@]}"; do add_module "$name"; done

  stage=$(mktemp -d "$CACHE_DIR/initramfs.XXXXXX")
  mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,host,rw,newroot,lib/modules}
  cp /bin/busybox "$stage/bin/busybox"
  # The kernel opens /dev/console for the initramfs init before anything is mounted.
  mknod -m 600 "$stage/dev/console" c 5 1
  install -m 755 "$LANES_DIR/guest/init" "$stage/init"
  for ko in "${MODULE_ORDER[@]}"; do
    name=${ko##*/}
    name=${name%%.ko*}.ko
    # busybox insmod wants plain .ko files; Debian may ship them compressed.
    case $ko in
      *.ko.xz) xz -dc "$MODULE_DIR/$ko" >"$stage/lib/modules/$name" ;;
      *.ko.zst) zstd -qdc "$MODULE_DIR/$ko" >"$stage/lib/modules/$name" ;;
      *.ko.gz) gzip -dc "$MODULE_DIR/$ko" >"$stage/lib/modules/$name" ;;
      *) cp "$MODULE_DIR/$ko" "$stage/lib/modules/$name" ;;
    esac
    printf '%s\n' "$name" >>"$stage/lib/modules/load-order"
  done
  (cd "$stage" && find . | cpio -o -H newc --quiet | gzip -9) >"$out.tmp"
  mv "$out.tmp" "$out"
  rm -rf "$stage"
}

# Unmounts anything left below $1 (debootstrap mounts proc/sys in the target and
# can leave them behind when it fails), so that rm -rf never walks into them.
umount_below() {
  local m
  while read -r m; do umount -l "$m" || true; done < <(awk -v d="$1" 'index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r)
}

# build_rootfs DIR: debootstrap, then customize, into DIR.new, then swap into place.
build_rootfs() {
  local dir=$1 new=$1.new
  umount_below "$new"
  rm -rf --one-file-system "$new"
  debootstrap --variant=minbase --include="$ROOTFS_INCLUDE" "$ROOTFS_SUITE" "$new" "$(debian_mirror)" >"$new.log" 2>&1 ||
    { note "debootstrap failed; last lines of $new.log:"; tail -n 20 "$new.log" >&2; umount_below "$new"; return 1; }
  customize_rootfs "$new"
  umount_below "$dir"
  rm -rf --one-file-system "$dir"
  mv "$new" "$dir"
  mv "$new.log" "$dir.log"
}

# Turn the bare debootstrap tree into the classroom-like machine.
customize_rootfs() {
  local r=$1
  echo isolab-systemd >"$r/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\tisolab-systemd\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$r/etc/hosts"
  # A fixed machine-id: with an empty one systemd would treat every boot as a first
  # boot (and the root's lower layer is read-only, so it could never keep one).
  tr -d '-' </proc/sys/kernel/random/uuid >"$r/etc/machine-id"
  printf '# root is an overlay set up by the isolab initramfs\n' >"$r/etc/fstab"
  chroot "$r" useradd --create-home --shell /bin/bash learner
  printf 'learner ALL=(ALL:ALL) NOPASSWD: ALL\n' >"$r/etc/sudoers.d/learner"
  chmod 440 "$r/etc/sudoers.d/learner"
  # Lingering starts user@1000.service at boot, as a logged-in learner would have it
  # (there is no login in this lane, and minbase has no libpam-systemd).
  mkdir -p "$r/var/lib/systemd/linger"
  touch "$r/var/lib/systemd/linger/learner"
  # No login prompts on the console: it carries the command's output.
  ln -sf /dev/null "$r/etc/systemd/system/getty.target"
  ln -sf /dev/null "$r/etc/systemd/system/serial-getty@ttyS0.service"
  # e2scrub_reap checks LVM snapshots of ext4 volumes; there are none, and it
  # costs seconds of emulated CPU at every boot.
  ln -sf /dev/null "$r/etc/systemd/system/e2scrub_reap.service"
  chroot "$r" apt-get clean
}

# check_lane LANE [SUITE]: prints one line per missing prerequisite, returns 1 if any. SUITE is the kernel to
# boot (default: the lane's; the lab machine boots "host" or a Debian suite's).
check_lane() {
  local lane=$1 suite kdir krel problems=()
  suite=${2:-$(lane_suite "$lane")}
  kdir=$(kernel_dir "$suite")
  command -v "$QEMU" >/dev/null || problems+=("$QEMU not found (package qemu-system-x86)")
  if krel=$(kernel_release "$suite"); then
    [[ -r $kdir/vmlinuz ]] || problems+=("kernel image $kdir/vmlinuz missing")
    [[ -r $kdir/root/lib/modules/$krel/modules.dep ]] || problems+=("modules of $krel missing in $kdir/root/lib/modules (the guest modprobes from there)")
  else
    problems+=("no $suite kernel in $kdir (prepare.sh fetches Debian's linux-image-amd64 from $suite)")
  fi
  [[ -x /bin/busybox ]] || problems+=("/bin/busybox missing (package busybox-static)")
  command -v modprobe >/dev/null || problems+=("modprobe missing (package kmod; the v2 guest uses the host's)")
  if [[ ! -s $kdir/initramfs.cpio.gz ]]; then
    problems+=("no initramfs in $kdir")
  elif [[ $(cat "$kdir/stamp" 2>/dev/null) != "$(initramfs_stamp "$suite")" ]]; then
    problems+=("the initramfs is stale (kernel, busybox or guest/init changed)")
  fi
  if [[ $(lane_machine "$lane") == container ]]; then
    command -v unshare >/dev/null || problems+=("unshare missing (package util-linux)")
  fi
  if [[ $(lane_machine "$lane") == systemd ]]; then
    [[ -x $CACHE_DIR/systemd/rootfs/lib/systemd/systemd ]] || problems+=("no systemd rootfs in $CACHE_DIR/systemd/rootfs")
    if [[ -d $CACHE_DIR/systemd/rootfs && $(cat "$CACHE_DIR/systemd/stamp" 2>/dev/null) != "$(rootfs_stamp)" ]]; then
      problems+=("the systemd rootfs is stale (its recipe changed)")
    fi
    command -v node >/dev/null || problems+=("node not found on this machine (the guest borrows it)")
  fi
  case $CACHE_DIR in
    /tmp | /tmp/* | /run | /run/* | /dev/* | /proc/* | /sys/*)
      problems+=("cache dir $CACHE_DIR is hidden in the guest; use a path outside /tmp, /run, /dev, /proc, /sys") ;;
    *' '*) problems+=("cache dir $CACHE_DIR contains a space (it goes on the kernel command line)") ;;
  esac
  ((${#problems[@]} == 0)) && return 0
  printf '%s\n' "${problems[@]}"
  return 1
}
