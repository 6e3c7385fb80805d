#!/bin/bash
# Usage: vm/lanes/run.sh <lane> [--workdir DIR] -- <command...>   (lanes: check.sh --list)
#        vm/lanes/run.sh lab [--kernel host|SUITE] [--accel tcg|kvm] [--share DIR] [--cached DIR] [--tty] [--workdir DIR] -- <command...>
#
# Boots the lane's kernel under qemu (TCG), runs the command as root in DIR
# (default: this checkout; it is visible at the same path inside the guest),
# prints the command's output (stdout and stderr mixed) and exits with its status.
#   124  the guest did not finish within ISOLAB_LANE_TIMEOUT seconds (default 600; none for lab)
#   125  the lane could not run the command (not prepared, bad usage, or the guest
#        died before reporting a status); the reason goes to stderr
# Environment passed into the guest: ISOLAB_* and CI, plus ISOLAB_LANE=<lane>.
#
# `lab` is the machine `isolab vm` boots: the v2 machine on the kernel --kernel names (host: this machine's own,
# else a Debian suite's that prepare.sh cached), with each --share DIR mounted read-write at the same path (the
# learner's checkout: what the guest writes there is the learner's), SUDO_UID/SUDO_GID/SUDO_USER and TERM passed
# in, and no time limit unless ISOLAB_LANE_TIMEOUT sets one. --cached DIR (inside a share): read DIR through the
# root's read-only, cached view instead, for what does not change while the VM runs (isolab's build and its
# dependencies): a share is uncached, so that the host's edits show at once, and reads through it cost a round
# trip each (under TCG, 0.2 s for a 33 KB file). --tty gives the command this terminal (qemu's serial
# console, raw, at the terminal's size, resized as it is) instead of the markers' pipe. --accel kvm boots with KVM.
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

fail() { note "$*"; exit 125; }
usage() { fail "usage: run.sh <$(IFS='|'; echo "${LANES[*]}")> [--workdir DIR] -- <command...>; run.sh lab [--kernel host|SUITE] [--accel tcg|kvm] [--share DIR] [--cached DIR] [--tty] [--workdir DIR] -- <command...>"; }

(($# >= 1)) || usage
lane=$1
shift
[[ $lane == lab ]] || is_lane "$lane" || fail "unknown lane '$lane' (${LANES[*]} lab)"
machine=$(lane_machine "$lane")
workdir=$CHECKOUT_DIR
suite=$(lane_suite "$lane")
accel=tcg
shares=()
cached=()
tty=false
while (($#)); do
  case $1 in
    --workdir) (($# >= 2)) || usage; workdir=$2; shift 2 ;;
    --workdir=*) workdir=${1#--workdir=}; shift ;;
    --kernel | --accel | --share | --cached)
      [[ $machine == lab ]] || fail "$1 is for the lab machine only"
      (($# >= 2)) || usage
      case $1 in --kernel) suite=$2 ;; --accel) accel=$2 ;; --share) shares+=("$2") ;; --cached) cached+=("$2") ;; esac
      shift 2 ;;
    --tty) [[ $machine == lab ]] || fail "--tty is for the lab machine only"; tty=true; shift ;;
    --) shift; break ;;
    *) usage ;;
  esac
done
(($#)) || usage
[[ $accel == tcg || $accel == kvm ]] || fail "--accel takes tcg or kvm"
[[ $suite =~ ^[a-z0-9-]+$ ]] || fail "--kernel takes host or a Debian suite"
if $tty && ! [[ -t 0 && -t 1 ]]; then fail "--tty needs a terminal on stdin and stdout"; fi
((EUID == 0)) || fail "run.sh needs root (qemu exports / over 9p and must read every file)"

# The lab machine makes its own kernel artifacts ready, offline: the host kernel's links, and an initramfs built
# again when its inputs changed (guest/init, busybox, the kernel). Fetching a kernel is prepare.sh's.
if [[ $machine == lab ]] && mkdir -p "$CACHE_DIR" && exec 9>>"$CACHE_DIR/.prepare.lock"; then
  if [[ $suite == host ]] || ! initramfs_current "$suite"; then
    flock 9
    if [[ $suite == host ]]; then host_kernel_prepare || fail "this machine's kernel cannot be booted in the lab VM"; fi
    if kernel_release "$suite" >/dev/null; then refresh_initramfs "$suite" || fail "cannot build the initramfs for the $suite kernel"; fi
    flock -u 9
  fi
fi

# A shared hold on prepare's lock for the whole run (qemu inherits the fd):
# prepare.sh will not swap the initramfs or rootfs under a running guest.
if [[ -d $CACHE_DIR ]] && exec 9>>"$CACHE_DIR/.prepare.lock"; then
  flock -s -n 9 || { note "waiting for prepare.sh to finish"; flock -s 9; }
fi
if ! why=$(check_lane "$lane" "$suite"); then
  note "lane $lane is not prepared:"
  indent "$why" >&2
  fail "run: vm/lanes/prepare.sh $lane"
fi
((EUID == 0)) || fail "run.sh needs root (qemu exports / over 9p and must read every file)"

# The guest sees the host's files at the same paths, except where it mounts its
# own filesystems.
workdir=$(realpath -e -- "$workdir" 2>/dev/null) || fail "workdir does not exist"
case $workdir in
  /tmp | /run | /proc* | /sys* | /dev*)
    fail "workdir $workdir is hidden in the guest (it mounts its own /tmp, /run, /proc, /sys, /dev)" ;;
  *[[:space:]]*) fail "workdir must not contain whitespace" ;;
esac
default_timeout=600
[[ $machine == lab ]] && default_timeout=0
timeout_s=${ISOLAB_LANE_TIMEOUT:-$default_timeout}
[[ $timeout_s =~ ^[0-9]+$ ]] || fail "ISOLAB_LANE_TIMEOUT must be a number of seconds"

for i in "${!shares[@]}"; do
  shares[i]=$(realpath -e -- "${shares[i]}" 2>/dev/null) || fail "--share: ${shares[i]} does not exist"
  [[ -d ${shares[i]} && ${shares[i]} != / ]] || fail "--share takes a directory other than /"
  [[ ${shares[i]} != *[[:space:],]* ]] || fail "--share: the path must not contain whitespace or commas"
done
kdir=$(kernel_dir "$suite")
krel=$(<"$kdir/release")
mkdir -p "$CACHE_DIR/runs"
run=$(mktemp -d "$CACHE_DIR/runs/run.XXXXXX") || fail "cannot create a run directory in $CACHE_DIR/runs"
chmod 755 "$run"
od -An -N8 -tx1 /dev/urandom | tr -d ' \n' >"$run/nonce"
nonce=$(<"$run/nonce")
cp "$LANES_DIR/guest/run-command.sh" "$LANES_DIR/guest/stage2.sh" "$run/"

# --- the command script: empty environment, then only what the lane provides ---
path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
node_bin=$(command -v node || true)
if [[ -n $node_bin && :$path: != *:"${node_bin%/*}":* ]]; then
  path=${node_bin%/*}:$path
fi
envs=("PATH=$path" HOME=/root USER=root LOGNAME=root SHELL=/bin/bash LANG=C.UTF-8 TERM=dumb "ISOLAB_LANE=$lane")
[[ $machine == container ]] && envs+=(REMOTE_CONTAINERS=true)
while read -r name; do
  [[ $name == ISOLAB_* || $name == CI ]] && [[ $name != ISOLAB_LANE ]] && envs+=("$name=${!name}")
  # The lab: whose files the shared checkout holds (isolab gives what it writes there to the learner), and the
  # terminal it draws on.
  [[ $machine == lab && $name =~ ^(SUDO_UID|SUDO_GID|SUDO_USER)$ ]] && envs+=("$name=${!name}")
  [[ $machine == lab && $name == TERM ]] && $tty && envs+=("TERM=$TERM")
done < <(compgen -e)
{
  echo '# generated by vm/lanes/run.sh'
  echo 'mapfile -t vars < <(compgen -e)'
  # shellcheck disable=SC2016 # written for the guest's bash to expand
  echo 'unset "${vars[@]}" vars 2>/dev/null'
  printf 'export %q\n' "${envs[@]}"
  printf 'cd -- %q || exit 125\n' "$workdir"
  printf 'exec'
  printf ' %q' "$@"
  printf '\n'
} >"$run/cmd.sh"

# --- what the initramfs builds (see guest/init) ---
# Every lane: the kernel's own modules where modprobe looks for them.
# (The host kernel's tree is a link into /lib/modules: the guest resolves nothing, so give it the real path.)
echo "bind $(realpath -e "$kdir/root/lib/modules/$krel") /lib/modules/$krel" >"$run/mounts"
# The lab: the shared directory, read-write at the same path; with --tty the run directory too, where the guest
# reads the terminal's size and writes the command's status.
for i in "${!shares[@]}"; do echo "9p share$i ${shares[i]}"; done >>"$run/mounts"
for dir in "${cached[@]}"; do
  # A link (a clone's node_modules pointing elsewhere) is followed in the guest, to a path the root serves already.
  [[ -d $dir && ! -L $dir ]] && echo "bind $dir $dir"
done >>"$run/mounts"
$tty && echo "9p run $run" >>"$run/mounts"
# A checkout under /tmp or /run (CI may clone there) would vanish under the guest's own tmpfs mounts there:
# stage2 carries these paths across them.
for keep in "$CHECKOUT_DIR" "$workdir" "${shares[@]}"; do
  case $keep in /tmp/* | /run/*) echo "$keep" ;; esac
done | sort -u >"$run/keep"
if [[ $machine == systemd ]]; then
  printf 'LOWER=%s\nINIT=/lib/systemd/systemd\n' "$CACHE_DIR/systemd/rootfs" >"$run/boot.conf"
  {
    # The run directory and this checkout (writable in RAM).
    echo "bind $run $run"
    echo "overlay $CHECKOUT_DIR $CHECKOUT_DIR"
    [[ $workdir == "$CHECKOUT_DIR" || $workdir == "$CHECKOUT_DIR"/* ]] || echo "overlay $workdir $workdir"
    # This machine's Node at the same paths: the binary, its lib dir (npm,
    # corepack) and the bin links into it.
    node_real=$(readlink -f "$node_bin")
    echo "bind $node_real $node_real"
    [[ $node_bin != "$node_real" ]] && echo "link $node_real $node_bin"
    prefix=${node_real%/bin/*}
    if [[ -d $prefix/lib/node_modules ]]; then
      echo "bind $prefix/lib/node_modules $prefix/lib/node_modules"
      for f in "$prefix"/bin/*; do
        [[ -L $f && $(readlink -f "$f") == "$prefix"/lib/node_modules/* ]] && echo "link $(readlink "$f") $f"
      done
    fi
    # The unit that runs the command once multi-user is reached, then powers off.
    echo "copy $run/isolab-run.service /etc/systemd/system/isolab-run.service"
    echo "link ../isolab-run.service /etc/systemd/system/multi-user.target.wants/isolab-run.service"
  } >>"$run/mounts"
  # Type=exec, not oneshot: the start job finishes at once, so the system counts
  # as booted ("running") while the command runs.
  cat >"$run/isolab-run.service" <<EOF
[Unit]
Description=isolab lane command
After=multi-user.target user@1000.service
SuccessAction=poweroff-force
FailureAction=poweroff-force

[Service]
Type=exec
ExecStart=/bin/bash $run/run-command.sh $run
StandardInput=null
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
EOF
else
  printf "LOWER=/\nINIT='/bin/bash %s/stage2.sh %s %s'\n" "$run" "$run" "$lane" >"$run/boot.conf"
fi

cmdline="console=ttyS0 quiet loglevel=1 panic=-1 isolab.run=$run"
# systemd would print unit failures on the console, in the middle of the output.
[[ $machine == systemd ]] && cmdline+=" systemd.show_status=false"

# No KVM on these machines: TCG. -cpu qemu64 (the default model) ran Node
# faster than -cpu max, whose extra features (AVX...) TCG emulates slowly.
# thread=single runs both vCPUs on one host thread. With a thread per vCPU,
# 6.12 and 7.2 guests died of "Oops: int3" in the page allocator (the kernel
# patching a static key while the other vCPU still ran the old code), and the
# runs were slower: a full v2 lane took 417-499 s against 224 s here.
# shellcheck disable=SC2054 # the commas belong to -virtfs and -accel
accel_args=(-accel tcg,thread=single -cpu qemu64)
# With KVM the guest runs the host's CPU model (isolab vm uses it only where a trial boot worked).
[[ $accel == kvm ]] && accel_args=(-accel kvm -cpu host)
# The console: the markers' pipe; with --tty, this terminal as the guest's serial port, raw (Ctrl-C is the
# guest's, signal=off), with no monitor multiplexed on it.
console_args=(-nographic)
$tty && console_args=(-display none -monitor none -parallel none -chardev stdio,id=console,signal=off -serial chardev:console)
qemu=("$QEMU" "${accel_args[@]}" -m 2048 -smp 2 "${console_args[@]}" -no-reboot -nic none
  -kernel "$kdir/vmlinuz" -initrd "$kdir/initramfs.cpio.gz"
  -append "$cmdline"
  -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap
  -pidfile "$run/qemu.pid")
# Read-write shares: security_model=none makes what the guest writes plain files of qemu's user (root here;
# isolab in the guest hands the learner's files back with SUDO_UID).
for i in "${!shares[@]}"; do qemu+=(-virtfs "local,path=${shares[i]},mount_tag=share$i,security_model=none,multidevs=remap"); done
$tty && qemu+=(-virtfs "local,path=$run,mount_tag=run,security_model=none")

kill_qemu() {
  local pid
  pid=$(cat "$run/qemu.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null
}

# --tty: qemu owns this terminal until the guest powers off; the guest writes the command's status into the run
# directory. The terminal's settings are put back however qemu ends (qemu restores them itself only when it
# exits normally), and its size follows every resize (the guest reads winsize twice a second).
run_on_terminal() {
  local saved qpid rc cmd
  saved=$(stty -g)
  stty size >"$run/winsize"
  touch "$run/tty"
  # shellcheck disable=SC2317 # called by the traps
  on_tty_signal() { kill_qemu; wait; stty "$saved" 2>/dev/null; rm -rf "$run"; note "interrupted; qemu stopped"; exit 130; }
  trap on_tty_signal INT TERM HUP
  trap 'stty size >"$run/winsize" 2>/dev/null' WINCH
  # A job's stdin is /dev/null unless redirected: give qemu this terminal through fd 3. pdeathsig: should this
  # script be killed outright, qemu goes with it.
  exec 3<&0
  cmd=(setpriv --pdeathsig KILL -- "${qemu[@]}")
  ((timeout_s > 0)) && cmd=(timeout --foreground -k 10 "$timeout_s" "${cmd[@]}")
  "${cmd[@]}" <&3 2>"$run/qemu.stderr" &
  qpid=$!
  # wait returns early for every trapped signal (WINCH): wait again while qemu lives.
  while :; do
    wait "$qpid"
    rc=$?
    ((rc > 128)) && kill -0 "$qpid" 2>/dev/null && continue
    break
  done
  trap - INT TERM HUP WINCH
  stty "$saved" 2>/dev/null
  if [[ -s $run/status ]]; then
    status=$(<"$run/status")
    [[ -n ${ISOLAB_LANE_KEEP:-} ]] || rm -rf "$run"
    [[ $status =~ ^[0-9]+$ ]] || fail "unreadable exit status '$status'"
    exit "$status"
  fi
  [[ -s $run/qemu.stderr ]] && { note "qemu said:"; cat "$run/qemu.stderr" >&2; }
  [[ -n ${ISOLAB_LANE_KEEP:-} ]] || rm -rf "$run"
  ((rc == 124)) && { note "timed out after ${timeout_s}s (ISOLAB_LANE_TIMEOUT)"; exit 124; }
  fail "the guest stopped before the command ended (qemu exit $rc)"
}
$tty && run_on_terminal

# Prints what lies between the markers as it arrives, writes the status from the
# end marker to $run/status and stops reading there (the guest powers off next).
# shellcheck disable=SC2016 # awk code
filter='
  BEGIN { b = "@@ISOLAB-BEGIN-" nonce "@@"; e = "@@ISOLAB-END-" nonce ":" }
  { sub(/\r+$/, "") }
  !on { if (index($0, b)) on = 1; next }
  {
    i = index($0, e)
    if (i) {
      # Output without a final newline puts the marker on its last line.
      if (i > 1) { printf "%s", substr($0, 1, i - 1); fflush() }
      s = substr($0, i + length(e)); sub(/@@.*/, "", s)
      print s > sfile; close(sfile)
      exit
    }
    print; fflush()
  }'
# mawk reads whole blocks from a pipe unless told to be interactive.
awk_cmd=(awk)
command -v mawk >/dev/null && awk_cmd=(mawk -W interactive)

# shellcheck disable=SC2317 # called by the trap
on_signal() {
  kill_qemu
  wait
  rm -rf "$run"
  note "interrupted; qemu stopped"
  exit 130
}
trap on_signal INT TERM HUP

# --foreground keeps qemu in our process group; qemu has no children to miss.
{
  timeout --foreground -k 10 "$timeout_s" "${qemu[@]}" </dev/null 2>"$run/qemu.stderr"
  echo $? >"$run/qemu.rc"
} | tee "$run/console.log" | "${awk_cmd[@]}" -v nonce="$nonce" -v sfile="$run/status" "$filter" &
wait $!

# The filter is done; give the guest a moment to power off, then end qemu.
if [[ -s $run/status ]]; then
  for _ in $(seq 150); do
    [[ -e $run/qemu.rc ]] && break
    sleep 0.2
  done
  [[ -e $run/qemu.rc ]] || { note "the guest did not power off; stopping qemu"; kill_qemu; }
fi
wait
trap - INT TERM HUP

show_console_tail() {
  note "last console lines ($run/console.log):"
  tail -n 30 "$run/console.log" | tr -d '\r' >&2
  [[ -s $run/qemu.stderr ]] && { note "qemu said:"; cat "$run/qemu.stderr" >&2; }
}

if [[ -s $run/status ]]; then
  status=$(<"$run/status")
  [[ $status =~ ^[0-9]+$ ]] || { show_console_tail; fail "unreadable exit status '$status'"; }
  [[ -n ${ISOLAB_LANE_KEEP:-} ]] || rm -rf "$run"
  exit "$status"
fi
qrc=$(cat "$run/qemu.rc" 2>/dev/null || echo '?')
# A failed run's directory is kept for a lane (the console log says why); the lab leaves nothing behind.
kept="; run directory kept: $run"
[[ $machine == lab && -z ${ISOLAB_LANE_KEEP:-} ]] && kept=
if ((timeout_s > 0)) && [[ $qrc == 124 || $qrc == 137 ]]; then
  show_console_tail
  [[ -z $kept ]] && rm -rf "$run"
  note "timed out after ${timeout_s}s (ISOLAB_LANE_TIMEOUT)$kept"
  exit 124
fi
show_console_tail
[[ -z $kept ]] && rm -rf "$run"
fail "the guest stopped before reporting the command's exit status (qemu exit $qrc)$kept"
