#!/usr/bin/env bash
# Turns a fresh Ubuntu 24.04 or Debian 12 VM into an isolab classroom machine. cloud-init and the Lima template
# run it at first boot; the systemd test lane runs it too (with --skip-packages and this machine's Node), so
# what learners get is what the tests prove. Safe to run again.
#
# Usage: provision.sh --learner NAME [--checkout DIR] [--repo URL] [--skip-packages]
# --repo clones the workbook (into --checkout, default ~NAME/isolab) and builds it; with a checkout (--repo, or
# --checkout naming a built one) `isolab` and `cgroup-tool` are put in /usr/local/bin.
set -euo pipefail

learner="" checkout="" repo="" skip_packages=0
while (($#)); do
  case $1 in
    --learner) learner=$2; shift 2 ;;
    --checkout) checkout=$2; shift 2 ;;
    --repo) repo=$2; shift 2 ;;
    --skip-packages) skip_packages=1; shift ;;
    *) echo "provision.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n $learner ]] || { echo "provision.sh: --learner NAME is required" >&2; exit 2; }
((EUID == 0)) || { echo "provision.sh: run as root" >&2; exit 3; }
say() { printf 'provision: %s\n' "$*"; }

# 1. Packages: the tools the lessons use, and Node 20 from NodeSource where the distribution's is older.
if ((skip_packages == 0)); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ca-certificates curl git sudo runc busybox-static iproute2 \
    nftables util-linux cgroup-tools tmux libcap2-bin procps kmod
  # The eBPF track: bpftrace, clang and llvm (BPF objects), libbpf-dev and gcc (a C loader), and bpftool, which
  # Debian packages on its own and Ubuntu 24.04 ships in linux-tools (a wrapper, and the tools of the running kernel).
  apt-get install -y -qq --no-install-recommends bpftrace clang llvm libbpf-dev gcc libc6-dev
  if apt-cache show bpftool >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends bpftool
  else
    apt-get install -y -qq --no-install-recommends linux-tools-common "linux-tools-$(uname -r)" \
      || say "no bpftool for kernel $(uname -r) (linux-tools-$(uname -r)); the lessons that need it stay locked"
  fi
  if ! command -v node >/dev/null || [[ $(node -p 'process.versions.node.split(".")[0]') -lt 20 ]]; then
    curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
    apt-get install -y -qq nodejs
  fi
fi

# 2. The learner, with passwordless sudo (the lessons need root; the learner is at home on a throw-away VM).
if ! id "$learner" >/dev/null 2>&1; then
  useradd --create-home --shell /bin/bash "$learner"
  say "created user $learner"
fi
printf '%s ALL=(ALL:ALL) NOPASSWD: ALL\n' "$learner" >"/etc/sudoers.d/isolab-$learner"
chmod 440 "/etc/sudoers.d/isolab-$learner"
visudo -cqf "/etc/sudoers.d/isolab-$learner"

# 3. cgroup delegation to the learner's own systemd (kernel-facts §3.3): user@.service delegates only some
#    controllers by default (pids memory, plus cpu since systemd 252); give it all the lessons use.
mkdir -p /etc/systemd/system/user@.service.d
cat >/etc/systemd/system/user@.service.d/isolab-delegate.conf <<'UNIT'
[Service]
Delegate=cpu cpuset io memory pids
UNIT
# Lingering keeps the learner's systemd running without a login, so delegated scopes work over ssh and in tests.
mkdir -p /var/lib/systemd/linger && touch "/var/lib/systemd/linger/$learner"
if [[ -d /run/systemd/system ]]; then
  systemctl daemon-reload
  uid=$(id -u "$learner")
  systemctl restart "user@$uid.service" || systemctl start "user@$uid.service"
fi

# 4. Loop devices for the I/O lesson, now and at every boot.
echo loop >/etc/modules-load.d/isolab.conf
modprobe loop 2>/dev/null || say "could not load the loop module now (it loads at the next boot)"

# 5. The workbook, in the learner's home (cloud-init) or where it already is (the test lane).
if [[ -n $repo ]]; then
  checkout=${checkout:-/home/$learner/isolab}
  [[ -d $checkout/.git ]] || sudo -u "$learner" git clone --quiet "$repo" "$checkout"
  sudo -u "$learner" bash -c "cd '$checkout' && npm ci --no-audit --no-fund"
fi

# 6. isolab and cgroup-tool on every PATH: launchers in /usr/local/bin (as root here), where the learner's shells,
#    sudo and root shells all look. Again on a second run: they are rewritten only when something changed.
if [[ -n $checkout ]]; then
  node "$checkout/scripts/commands.mjs" install
  say "done: log in as $learner, cd $checkout, npm start; isolab and cgroup-tool are on the PATH"
else
  say "done: log in as $learner, clone the workbook, npm ci && npm start"
fi
