#!/bin/bash
# PID 1 of the v2 and container machines after switch_root. The root is an overlay:
# the host's / (read-only over 9p) below, a tmpfs above. This sets up the API
# filesystems a normal boot would, runs the command and powers off.
#
# Usage: stage2.sh RUN_DIR LANE [STEP [CONTAINER_ID]]
#   STEP boot       (default) the machine's PID 1
#   STEP ctr-init   PID 1 of the container's new PID namespace (container lane)
#   STEP ctr-inner  the same process after it entered its cgroup namespace
set -u
run=$1 lane=$2 step=${3:-boot} id=${4:-}
self=$0

boot() {
  mount -t proc proc /proc
  mount -t sysfs sysfs /sys
  # Options as systemd mounts it on a v2 host (Docker hosts included).
  mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 /sys/fs/cgroup
  # What systemd mounts too: the active LSM list, tracepoints, and where BPF objects are pinned.
  mount -t securityfs securityfs /sys/kernel/security
  mount -t tracefs tracefs /sys/kernel/tracing
  mount -t bpf -o mode=700 bpf /sys/fs/bpf
  # The host's /tmp and /run are visible in the lower layer; hide them, but carry across the checkout if it
  # lives there (run.sh lists such paths in keep).
  local i=0 kept=()
  while read -r path; do
    [[ -d $path ]] || continue
    # rbind: the mounts below it too (the lab's cached views inside a share).
    mkdir -p "/.isolab-keep/$i" && mount --rbind "$path" "/.isolab-keep/$i" && kept+=("$path")
    i=$((i + 1))
  done <"$run/keep"
  mount -t tmpfs -o mode=1777 tmpfs /tmp
  mount -t tmpfs -o mode=0755 tmpfs /run
  for i in "${!kept[@]}"; do
    mkdir -p "${kept[$i]}" && mount --move "/.isolab-keep/$i" "${kept[$i]}"
  done
  mkdir -p /dev/pts /dev/shm
  mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
  mount -t tmpfs -o mode=1777 tmpfs /dev/shm
  # devtmpfs lacks these links; bash process substitution needs /dev/fd.
  ln -sfn /proc/self/fd /dev/fd
  ln -sfn /proc/self/fd/0 /dev/stdin
  ln -sfn /proc/self/fd/1 /dev/stdout
  ln -sfn /proc/self/fd/2 /dev/stderr
  # The lab VM says what it is in the learner's prompt.
  if [[ $lane == lab ]]; then hostname isolab-vm; else hostname "isolab-$lane"; fi
  # A real system has /dev/loop-control from boot (the I/O lesson needs it); here the module loads on demand.
  modprobe loop 2>/dev/null
  busybox ip link set lo up 2>/dev/null
  # This machine's image leaks a stale /.dockerenv. The v2 lane is a plain VM,
  # so hide it (a whiteout in the overlay); the container lane makes its own.
  rm -f /.dockerenv

  # A lane's machine is its name up to the first "-" (v2-sid is the v2 machine on sid's kernel).
  if [[ ${lane%%-*} == container ]]; then
    container
  else
    bash "$run/run-command.sh" "$run"
  fi
  sync
  busybox poweroff -f
  # If that failed, PID 1 exiting panics the kernel; panic=-1 and -no-reboot
  # then end qemu all the same.
  exit 1
}

# The DevContainer situation (test-lanes.md, lane 4): a private PID, mount, UTS
# and cgroup namespace whose namespace-root cgroup holds the processes.
container() {
  # A Docker-like container id and the files Docker bind-mounts into every container.
  id=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
  local d=/var/lib/docker/containers/$id
  mkdir -p "$d"
  echo "${id:0:12}" >"$d/hostname"
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n172.17.0.2\t%s\n' "${id:0:12}" >"$d/hosts"
  printf '# isolab container lane: no network\n' >"$d/resolv.conf"
  touch /.dockerenv
  # Enable controllers for children of the root, then make the container's cgroup.
  echo '+cpu +memory +pids' >/sys/fs/cgroup/cgroup.subtree_control
  mkdir /sys/fs/cgroup/ctr
  unshare --pid --mount --uts --fork --kill-child -- /bin/bash "$self" "$run" "$lane" ctr-init "$id"
}

ctr_init() {
  # Join the container cgroup before anything else runs in the namespace: a
  # process left in ctr from outside would be invisible in its cgroup.procs but
  # would still block enabling controllers. "0" means the writer itself.
  echo 0 >/sys/fs/cgroup/ctr/cgroup.procs
  exec unshare --cgroup -- /bin/bash "$self" "$run" "$lane" ctr-inner "$id"
}

ctr_inner() {
  mount --make-rprivate /
  # A fresh cgroup2 mount inside the cgroup namespace is rooted at ctr, and a
  # fresh proc shows only this PID namespace.
  umount /sys/fs/cgroup
  mount -t cgroup2 cgroup2 /sys/fs/cgroup
  # Docker gives a container a sysfs of its own, with none of these mounted.
  umount /sys/kernel/security /sys/kernel/tracing /sys/fs/bpf
  mount -t proc proc /proc
  hostname "${id:0:12}"
  local d=/var/lib/docker/containers/$id f
  for f in hostname hosts resolv.conf; do
    mount --bind "$d/$f" "/etc/$f" || true
  done
  # Run the command as a child: in a dev container the shell is not PID 1 either.
  bash "$run/run-command.sh" "$run"
}

case $step in
  boot) boot ;;
  ctr-init) ctr_init ;;
  ctr-inner) ctr_inner ;;
  *) echo "stage2: unknown step $step" >&2; exit 1 ;;
esac
