import { isolabBin, repoRoot } from './cli.js';
import { runSync, type RunResult } from './run.js';

/**
 * Runs a bash script as root in private PID, mount and network namespaces, so that `isolab clean` there sees only
 * the processes the script starts, and what else it removes is the sandbox's own: a fresh /run (netns files, runc
 * state, /run/isolab), /tmp (/tmp/isolab-lab) and /sys (this network namespace's links, no cgroup hierarchies),
 * and a losetup that lists nothing (loop devices are machine-wide). Lab state others have on this machine is left
 * alone, and every process the script started dies with it. `isolab` in the script runs the built binary.
 */
export function inLabSandbox(script: string, env: NodeJS.ProcessEnv = {}): RunResult {
  const setup = [
    'set -e',
    // Mounts under /run and /tmp are copies of the machine's in this mount namespace: let go of them here only.
    `awk '$5 ~ "^/(run|tmp)(/|$)" {print $5}' /proc/self/mountinfo | sort -r | while read -r mount; do umount -l "$mount" 2>/dev/null || true; done`,
    // A checkout under /tmp or /run (CI clones anywhere) is carried across the fresh mounts, by way of /mnt.
    'mount -t tmpfs isolab-sandbox-keep /mnt && mkdir /mnt/checkout && mount --bind "$CHECKOUT_ROOT" /mnt/checkout',
    'mount -t tmpfs isolab-sandbox /run',
    'mount -t tmpfs isolab-sandbox /tmp',
    'mkdir -p "$CHECKOUT_ROOT" && mount --bind /mnt/checkout "$CHECKOUT_ROOT"',
    'mount -t sysfs sysfs /sys',
    'mount --bind /bin/true "$(command -v losetup)"',
    'set +e',
    'export ISOLAB_HOME="$(mktemp -d)" NO_COLOR=1',
    'isolab() { "$NODE" "$BIN" "$@"; }',
    // A process started apart from this shell (so bash reports nothing when it is killed); prints its pid.
    'spawn() { local name=$1; shift; env "$@" bash -c "exec -a $name sleep 600" </dev/null >/dev/null 2>&1 & echo $!; disown; }',
    // "<pid> alive" or "<pid> gone" (a zombie has let go of everything, so it is gone).
    `state() { for pid; do if [ -e /proc/$pid ] && ! grep -q ') Z ' /proc/$pid/stat; then echo "$pid alive"; else echo "$pid gone"; fi; done; }`,
  ].join('\n');
  return runSync('unshare', ['--pid', '--fork', '--mount-proc', '--mount', '--net', 'bash', '-c', `${setup}\n${script}`], {
    env: { ...env, NODE: process.execPath, BIN: isolabBin, CHECKOUT_ROOT: repoRoot },
    timeout: 120_000,
  });
}
