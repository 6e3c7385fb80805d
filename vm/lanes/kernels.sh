# shellcheck shell=bash
# The kernel matrix (sourced by lib.sh, never executed): which Debian kernel each lane boots, and how
# prepare.sh takes it from Debian's archive without touching this machine's kernel, apt sources or dpkg
# database.
#
# Each suite has a private apt state, $CACHE_DIR/apt/<suite>/ (its own sources list, lists, an empty dpkg
# status): its linux-image-amd64 is resolved there at prepare time, fetched with `apt-get download` and
# unpacked with `dpkg-deb -x` into $CACHE_DIR/kernels/<suite>/:
#   vmlinuz                       the image qemu boots (a link to the one in root/)
#   root/lib/modules/<release>/   its modules, plus the modules.dep that depmod writes (the package's postinst
#                                 would have); the guest sees this directory at /lib/modules/<release>
#   packages                      name=version of each package unpacked: a later prepare compares with it
#   release                       the kernel release, e.g. 6.12.117+deb13-amd64
#   initramfs.cpio.gz, stamp      the lanes' initramfs for this kernel (lib.sh)

# Every lane, in the order the tests boot them. A lane's name is its machine (what stage2 and the test bundle
# are: v2, container, systemd) with `-<suite>` when it boots another suite's kernel than bookworm's.
LANES=(v2 v2-trixie v2-sid container systemd)
# The suite whose linux-image-amd64 each lane boots. container and systemd stay on bookworm (vm/README.md).
declare -A LANE_SUITE=([v2]=bookworm [v2-trixie]=trixie [v2-sid]=sid [container]=bookworm [systemd]=bookworm)
# The lab machine (`isolab vm`, run.sh lab) is not a test lane: it boots "host" (this machine's own kernel) or a
# suite's kernel, as run.sh --kernel says; trixie's when it says nothing (virtio built in: it boots 2 s sooner
# than bookworm's under TCG), and prepare.sh lab fetches that one when this machine's own cannot be used.
LANE_SUITE[lab]=trixie
# Suites with a security archive: their kernel updates land there first.
SECURITY_SUITES=(bookworm trixie)
# The private lists are refreshed when older than this (minutes): a prepare run twice in a row does not go to
# the network, and what sid had six hours ago is still a sid kernel.
APT_LISTS_MAX_AGE=360

lane_machine() { printf '%s\n' "${1%%-*}"; }
lane_suite() { printf '%s\n' "${LANE_SUITE[$1]}"; }
kernel_dir() { printf '%s\n' "$CACHE_DIR/kernels/$1"; }

# The release of the kernel cached for SUITE (empty and status 1 if there is none).
kernel_release() {
  local f
  f=$(kernel_dir "$1")/release
  [[ -s $f ]] || return 1
  cat "$f"
}

# The URI of the first source in this machine's apt configuration that lists SUITE (one-line or deb822 format),
# or nothing.
apt_source_uri() {
  local suite=$1 f uri=
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r $f ]] || continue
    uri=$(awk -v s="$suite" '$1 == "deb" { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
           if ($(i + 1) == s) { print $i; exit } }' "$f")
    [[ -n $uri ]] && break
  done
  if [[ -z $uri ]]; then
    for f in /etc/apt/sources.list.d/*.sources; do
      [[ -r $f ]] || continue
      # One stanza per paragraph; take URIs of the first stanza whose Suites has the bare suite.
      uri=$(awk -v s="$suite" 'BEGIN { RS = "" }
             { u = ""; ok = 0; n = split($0, l, "\n")
               for (k = 1; k <= n; k++) {
                 if (l[k] ~ /^URIs:/) { split(l[k], w, /[ \t]+/); u = w[2] }
                 if (l[k] ~ /^Suites:/) { m = split(l[k], w, /[ \t]+/); for (j = 2; j <= m; j++) if (w[j] == s) ok = 1 }
               }
               if (ok && u != "") { print u; exit } }' "$f")
      [[ -n $uri ]] && break
    done
  fi
  printf '%s\n' "$uri"
}

# The Debian mirror apt already uses for bookworm; ISOLAB_DEBIAN_MIRROR overrides it.
debian_mirror() {
  local uri=${ISOLAB_DEBIAN_MIRROR:-$(apt_source_uri bookworm)}
  printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

# The security archive apt already uses; ISOLAB_DEBIAN_SECURITY_MIRROR overrides it.
debian_security_mirror() {
  local uri=${ISOLAB_DEBIAN_SECURITY_MIRROR:-$(apt_source_uri bookworm-security)}
  printf '%s\n' "${uri:-http://deb.debian.org/debian-security}"
}

# Sets APT_OPTS to the options that point apt-get and apt-cache at SUITE's private state only. The binary
# package cache is kept (Debian's container images turn it off): each apt-cache call then takes a few
# hundredths of a second instead of parsing sid's lists again for one.
use_apt_state() {
  local d=$CACHE_DIR/apt/$1
  APT_OPTS=(-o "Dir::Etc::sourcelist=$d/sources.list" -o "Dir::Etc::sourceparts=$d/empty.d"
    -o "Dir::Etc::preferences=$d/empty.d/preferences" -o "Dir::Etc::preferencesparts=$d/empty.d"
    -o "Dir::State::Lists=$d/lists" -o "Dir::State::status=$d/status" -o "Dir::Cache=$d/cache"
    -o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=
    -o APT::Default-Release= -o APT::Sandbox::User=root -o Acquire::Languages=none)
}

# Writes SUITE's private sources list and refreshes its lists when they are missing, stale or from another
# sources list. Fails (with apt's words) when the archive cannot be reached.
apt_state_refresh() {
  local suite=$1 d=$CACHE_DIR/apt/$1 sources s
  sources="deb $(debian_mirror) $suite main"
  for s in "${SECURITY_SUITES[@]}"; do
    [[ $s == "$suite" ]] && sources+=$'\n'"deb $(debian_security_mirror) $suite-security main"
  done
  mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/empty.d"
  : >>"$d/status"
  if [[ $(cat "$d/sources.list" 2>/dev/null) == "$sources" && -n $(find "$d/updated" -mmin "-$APT_LISTS_MAX_AGE" 2>/dev/null) ]]; then
    return 0
  fi
  printf '%s\n' "$sources" >"$d/sources.list"
  rm -f "$d/updated"
  use_apt_state "$suite"
  local out
  out=$(apt-get "${APT_OPTS[@]}" update 2>&1) && ! grep -qE '^(W|E|Err):' <<<"$out" ||
    { note "apt-get update for $suite failed:"; indent "$out" >&2; return 1; }
  touch "$d/updated"
}

# A field of the candidate version of PACKAGE in SUITE's private state.
apt_field() {
  local suite=$1 pkg=$2 field=$3
  use_apt_state "$suite"
  # awk reads to the end: an early exit would make apt-cache die of SIGPIPE, a failure under pipefail.
  apt-cache "${APT_OPTS[@]}" show --no-all-versions "$pkg" 2>/dev/null | awk -v f="$field:" '!done && $1 == f { sub(/^[^:]*: */, ""); print; done = 1 }'
}

# The package names in a Depends field, alternatives included, without version constraints.
dep_names() {
  tr ',|' '\n\n' <<<"$1" | sed -E 's/\(.*\)//; s/^ +//; s/ +$//; s/:any$//' | grep -v '^$'
}

# name=version of the packages that make up SUITE's current kernel, one a line. linux-image-amd64 depends on
# linux-image-<release>, which holds the image and the modules (bookworm, trixie) or is tiny and depends on
# the packages that do (sid: linux-binary-, linux-modules-, linux-base-<release>): follow every dependency
# whose name ends in -<release>, so the split can move again without breaking this.
kernel_packages() {
  local suite=$1 release='' name version dep
  local -a queue=()
  local -A seen=()
  while read -r name; do
    if [[ $name =~ ^linux-image-([0-9].*)$ ]]; then release=${BASH_REMATCH[1]}; break; fi
  done < <(dep_names "$(apt_field "$suite" linux-image-amd64 Depends)")
  [[ -n $release ]] || { note "$suite: linux-image-amd64 has no linux-image-<release> dependency"; return 1; }
  queue=("linux-image-$release")
  while ((${#queue[@]})); do
    name=${queue[0]}
    queue=("${queue[@]:1}")
    if [[ -n ${seen[$name]:-} ]]; then continue; fi
    seen[$name]=1
    version=$(apt_field "$suite" "$name" Version)
    [[ -n $version ]] || { note "$suite: package $name not found"; return 1; }
    printf '%s=%s\n' "$name" "$version"
    while read -r dep; do
      if [[ $dep == *-"$release" ]]; then queue+=("$dep"); fi
    done < <(dep_names "$(apt_field "$suite" "$name" Depends)")
  done
}

# kernel_current SUITE PACKAGES: the cache holds exactly these packages, unpacked and usable.
kernel_current() {
  local kdir release
  kdir=$(kernel_dir "$1")
  release=$(kernel_release "$1") || return 1
  [[ $(cat "$kdir/packages" 2>/dev/null) == "$2" && -r $kdir/vmlinuz && -r $kdir/root/lib/modules/$release/modules.dep ]]
}

# fetch_kernel SUITE PACKAGES: downloads and unpacks them next to the cache entry, then swaps it into place
# (the caller holds the prepare lock exclusively: guests read these files).
fetch_kernel() {
  local suite=$1 packages=$2 kdir new release deb image
  kdir=$(kernel_dir "$suite")
  mkdir -p "${kdir%/*}"
  new=$(mktemp -d "$kdir.new.XXXXXX")
  chmod 755 "$new"
  release=$(sed -nE 's/^linux-image-([0-9][^=]*)=.*/\1/p' <<<"$packages" | head -n1)
  use_apt_state "$suite"
  # shellcheck disable=SC2046 # one argument per package
  (cd "$new" && apt-get "${APT_OPTS[@]}" -qq download $(printf '%s\n' "$packages")) >"$new.log" 2>&1 ||
    { note "apt-get download of the $suite kernel failed:"; tail -n 20 "$new.log" >&2; rm -rf "$new" "$new.log"; return 1; }
  for deb in "$new"/*.deb; do
    dpkg-deb -x "$deb" "$new/root" || { note "cannot unpack $deb"; rm -rf "$new" "$new.log"; return 1; }
    rm -f "$deb"
  done
  # trixie and later ship the modules under usr/lib (merged /usr); one path for every kernel.
  [[ -d $new/root/usr/lib/modules && ! -e $new/root/lib ]] && ln -s usr/lib "$new/root/lib"
  # The image is boot/vmlinuz-<release> up to trixie; sid's linux-binary- puts it beside the modules.
  for image in "$new/root/boot/vmlinuz-$release" "$new/root/lib/modules/$release/vmlinuz" ''; do
    [[ -r $image ]] && break
  done
  if [[ -z $image || ! -d $new/root/lib/modules/$release ]]; then
    note "the $suite kernel packages hold no vmlinuz (boot/ or lib/modules/$release/) or no lib/modules/$release:"
    indent "$packages" >&2
    rm -rf "$new" "$new.log"
    return 1
  fi
  ln -f "$image" "$new/vmlinuz"
  depmod -b "$new/root" "$release" || { note "depmod failed for $release"; rm -rf "$new" "$new.log"; return 1; }
  printf '%s\n' "$release" >"$new/release"
  printf '%s\n' "$packages" >"$new/packages"
  rm -rf "$kdir" "$new.log"
  mv "$new" "$kdir"
}

# The "host" kernel directory: this machine's own kernel, booted in the lab VM when its image and modules can
# be read (a kernel the host boots with cgroup v1 or hybrid still boots cgroup v2 there, as the guest mounts
# cgroup2 itself). Nothing is copied: vmlinuz and root/lib/modules/<release> are links into /boot (or
# /lib/modules/<release>/vmlinuz) and /lib/modules, which the guest sees at the same paths.
host_kernel_image() {
  local f
  for f in "/boot/vmlinuz-$1" "/lib/modules/$1/vmlinuz"; do
    [[ -r $f ]] && { printf '%s\n' "$f"; return 0; }
  done
  return 1
}

# Points kernels/host at the running kernel, again when it changed (an upgrade, a reboot into another one).
# The caller holds the prepare lock exclusively.
host_kernel_prepare() {
  local release image kdir packages
  release=$(uname -r)
  image=$(host_kernel_image "$release") || { note "this machine's kernel $release has no readable image in /boot or /lib/modules/$release"; return 1; }
  [[ -r /lib/modules/$release/modules.dep ]] || { note "this machine's kernel $release has no /lib/modules/$release/modules.dep"; return 1; }
  kdir=$(kernel_dir host)
  packages="host=$release $(stat -Lc '%s %Y' "$image") $(sha_of <"/lib/modules/$release/modules.dep")"
  [[ $(cat "$kdir/packages" 2>/dev/null) == "$packages" ]] && return 0
  rm -rf "$kdir"
  mkdir -p "$kdir/root/lib/modules"
  ln -s "$image" "$kdir/vmlinuz"
  ln -s "/lib/modules/$release" "$kdir/root/lib/modules/$release"
  printf '%s\n' "$release" >"$kdir/release"
  printf '%s\n' "$packages" >"$kdir/packages"
}
