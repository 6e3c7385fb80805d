import { bpffsMountPoint, securityfsMountPoint, tracefsMountPoint } from './ebpf.js';
import { labVmRunsBpfLsm } from './lab-vm-capabilities.js';
import { labVmRoute } from './lab-vm.js';
import type { EnvReport } from './report.js';

// Lessons are written for a root shell; isolab is on root's PATH too (a launcher in /usr/local/bin).
const rootShell = 'open a root shell with sudo -s and run isolab there';
// The learners' guide to making one (cloud-init, Lima, WSL2, Hyper-V); vm/README.md is the test lanes' page.
const classroomVm = 'or do the lessons in a classroom VM (vm/classroom/README.md shows how to make one)';
const classroomVmAlone = 'do the lessons in a classroom VM (vm/classroom/README.md shows how to make one)';

const debianPackages: Record<string, string> = {
  ip: 'iproute2',
  nft: 'nftables',
  unshare: 'util-linux',
  nsenter: 'util-linux',
  busybox: 'busybox-static',
  capsh: 'libcap2-bin',
  bpftrace: 'bpftrace',
  bpftool: 'bpftool',
  clang: 'clang',
  llc: 'llvm',
  cc: 'gcc',
  gcc: 'gcc',
};

/** Why a requirement is not met here, and what to do about it in this environment. */
export function remedyFor(key: string, report: EnvReport): string {
  if (key.includes('|')) {
    // Explain the alternative that belongs to this machine's hierarchy.
    const alternatives = key.split('|');
    const fitting = alternatives.find((alternative) => (report.cgroup.mode === 'v2' ? !alternative.startsWith('cgroup1:') : !alternative.startsWith('delegation:')));
    return remedyFor(fitting ?? alternatives[0]!, report);
  }
  const [kind, name = ''] = key.split(':') as [string, string | undefined];
  switch (kind) {
    case 'root':
      return report.privileges.sudo === 'unavailable'
        ? `needs root, and this account cannot use sudo: ask for root on this machine, ${classroomVm}`
        : `needs root: ${rootShell}`;
    case 'cgroup2':
      return cgroupV2Remedy(report);
    case 'cgroup2-tree':
      return cgroupV2TreeRemedy(report);
    case 'delegation':
      return delegationRemedy(name, report);
    case 'cgroup1':
      if (report.cgroup.mode === 'v2') return `needs the cgroup v1 ${name} hierarchy, and this machine is v2 only`;
      if (!report.privileges.root) return `needs the cgroup v1 ${name} controller, as root: ${rootShell}`;
      return report.cgroup.readOnlyV1.includes(name)
        ? `needs the cgroup v1 ${name} controller writable, and it is mounted read-only here (a container without --privileged?)`
        : `needs the cgroup v1 ${name} controller, which is not mounted here`;
    case 'ns':
      return namespaceRemedy(name, report);
    case 'tool':
      return `needs ${name} on PATH: install it (Debian/Ubuntu: apt-get install ${debianPackages[name] ?? name})`;
    case 'btf':
      return 'needs a kernel with BTF (/sys/kernel/btf/vmlinux; CONFIG_DEBUG_INFO_BTF=y), as Debian and Ubuntu kernels have';
    case 'bpf-lsm':
      return bpfLsmRemedy(report);
    case 'tracing':
      return tracingRemedy(report);
    case 'bpffs':
      return `needs the bpf filesystem at ${bpffsMountPoint} (where pinned programs and maps live), and ${
        report.ebpf.bpffs.length > 0 ? `it is mounted only at ${report.ebpf.bpffs.join(', ')}` : 'it is not mounted'
      }: ${asRoot(report, `mount -t bpf bpf ${bpffsMountPoint}`)}${privilegedOnly(report)}`;
    case 'libbpf':
      return `needs libbpf's development files (${libbpfMissing(report)}), which a C loader is built against with -lbpf: install them (Debian/Ubuntu: apt-get install libbpf-dev)`;
    case 'loop-device':
      return report.privileges.root ? 'needs loop devices: modprobe loop' : `needs root for loop devices: ${rootShell}`;
    default:
      return `needs ${key}`;
  }
}

// Every cgroup v2 lock: the one sentence the gate folds repeats into.
function cgroupV2Remedy(report: EnvReport): string {
  const { cause, route } = cgroupV2Situation(report);
  return `needs cgroup v2 with controllers, and ${cause}: ${withLabVm(report, route)}`;
}

/**
 * BPF's cgroup id (bpf_get_current_cgroup_id, bpftrace's `cgroup`) names a cgroup of the v2 tree; hybrid's
 * controller-less one at /sys/fs/cgroup/unified serves. A v1-only machine can mount that tree beside its v1 ones.
 */
function cgroupV2TreeRemedy(report: EnvReport): string {
  if (report.cgroup.mode === 'unknown') return 'needs a cgroup v2 tree, and the cgroup filesystem could not be read (is /sys/fs/cgroup mounted?): isolab doctor shows what it found';
  const mount = asRoot(report, 'mkdir /sys/fs/cgroup/unified && mount -t cgroup2 cgroup2 /sys/fs/cgroup/unified');
  return `needs a cgroup v2 tree (the cgroups BPF programs see by id), and this machine mounts only cgroup v1: ${withLabVm(report, `mount one beside them, ${mount}${privilegedOnly(report)}`)}`;
}

/** What this machine's cgroups are short of, and the manual way out (none where nothing here can change it). */
function cgroupV2Situation(report: EnvReport): { cause: string; route: string | null } {
  const { mode } = report.cgroup;
  const kind = report.environment.kind;
  if (mode === 'v2') return { cause: `cgroup v2 is mounted, but no controllers reach ${report.cgroup.labParent ?? 'it'}`, route: null };
  if (mode === 'unknown') return { cause: 'the cgroup filesystem could not be read (is /sys/fs/cgroup mounted?)', route: 'isolab doctor shows what it found' };
  const found = mode === 'hybrid' ? 'this machine boots the hybrid layout (limits on v1)' : 'this machine boots cgroup v1';
  if (kind === 'wsl2' || report.kernel.flavour === 'wsl2') {
    return { cause: found, route: 'in %UserProfile%\\.wslconfig add "kernelCommandLine = cgroup_no_v1=all" under [wsl2], then run "wsl --shutdown"' };
  }
  if (kind === 'container' || kind === 'devcontainer' || kind === 'codespaces') {
    return { cause: `${found}: the host decides, and a container cannot change it`, route: `run the DevContainer on a cgroup v2 host (Docker Desktop ≥ 4.3 is), ${classroomVm}` };
  }
  if (report.kernel.flavour === 'firecracker') {
    return { cause: `${found}, set by the microVM's own init, which cannot be changed from inside`, route: `use a cgroup v2 machine, ${classroomVm}` };
  }
  return {
    cause: found,
    route: `boot with the unified hierarchy: add systemd.unified_cgroup_hierarchy=1 to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub and reboot, ${classroomVm}`,
  };
}

/**
 * A lab VM boots its own cgroup v2 kernel with every controller, as root: it lifts every cgroup v2 and
 * delegation lock, so it comes first, before the routes that change this machine. Not where it cannot run.
 */
function withLabVm(report: EnvReport, route: string | null): string {
  const labVm = labVmRoute(report.labVm);
  if (!labVm) return route ?? 'isolab doctor shows what it found';
  return route ? `${labVm}; or ${route}` : labVm;
}

function delegationRemedy(controller: string, report: EnvReport): string {
  const { delegation } = report.cgroup;
  const inContainer = isContained(report);
  switch (delegation.status) {
    case 'unsupported':
    case 'unknown':
      // Without cgroup v2 there is nothing to delegate: the one reason is the missing v2 (the gate folds repeats).
      return cgroupV2Remedy(report);
    // The same cause for every controller: one sentence, which the gate folds into one reason.
    case 'needs-nesting':
      return `needs cgroup controllers that this container has but cannot enable while its root cgroup holds the processes: ${withLabVm(
        report,
        `run "sudo isolab doctor --fix" (moves them into init/), ${classroomVm}`,
      )}`;
    case 'read-only':
      return `needs to write cgroup limits, but /sys/fs/cgroup is read-only here: ${withLabVm(
        report,
        `${
          inContainer
            ? 'start the container privileged ("privileged": true in devcontainer.json, or docker run --privileged; Docker ≥ 29: --security-opt writable-cgroups)'
            : 'remount it read-write (mount -o remount,rw /sys/fs/cgroup)'
        }, ${classroomVm}`,
      )}`;
    case 'not-delegated':
      return inContainer
        ? `needs the ${controller} controller, which the host did not delegate to this container (${delegation.why}): ${withLabVm(report, classroomVmAlone)}`
        : `needs the ${controller} controller delegated (${delegation.why}): ${withLabVm(
            report,
            'run isolab as root, where it is; or delegate it: systemd-run --user --scope -p Delegate=yes, or Delegate=memory pids cpu in /etc/systemd/system/user@.service.d/delegate.conf',
          )}`;
    case 'ok':
      return inContainer
        ? `needs the ${controller} controller, which the host did not delegate to this container (${delegation.why}): ${withLabVm(report, classroomVmAlone)}`
        : `needs the ${controller} controller, which does not reach isolab's cgroup (${delegation.why}): ${withLabVm(
            report,
            'delegate it, e.g. Delegate=memory pids cpu in /etc/systemd/system/user@.service.d/delegate.conf (then systemctl daemon-reload and log in again), or run as root outside the scope',
          )}`;
  }
}

function namespaceRemedy(kind: string, report: EnvReport): string {
  if (kind === 'user') {
    return report.privileges.root
      ? 'needs user namespaces, which this kernel refuses (user.max_user_namespaces is 0, or a security module blocks them)'
      : 'needs unprivileged user namespaces: sysctl kernel.unprivileged_userns_clone=1 (Debian), or kernel.apparmor_restrict_unprivileged_userns=0 (Ubuntu 24.04+)';
  }
  return report.privileges.root
    ? `needs a ${kind} namespace, which this machine refuses (a container without CAP_SYS_ADMIN?)`
    : `needs root to create a ${kind} namespace: ${rootShell}`;
}

function libbpfMissing(report: EnvReport): string {
  const { headers, library } = report.ebpf.libbpf;
  const missing = [headers ? null : 'bpf/libbpf.h and bpf/bpf_helpers.h in /usr/include', library ? null : 'libbpf.so or libbpf.a to link'].filter(Boolean);
  return missing.length > 0 ? `missing: ${missing.join('; ')}` : 'present';
}

/** A command for root: as it is when isolab runs as root, else with the way to a root shell. */
function asRoot(report: EnvReport, command: string): string {
  return report.privileges.root ? command : `as root (${rootShell}): ${command}`;
}

const isContained = (report: EnvReport) => ['container', 'devcontainer', 'codespaces'].includes(report.environment.kind);
const privilegedOnly = (report: EnvReport) => (isContained(report) ? ' (a container may mount it only when privileged)' : '');

/**
 * The BPF LSM's remedy; a lab VM whose kernel runs it (env/lab-vm.ts) comes first, before a reboot of this one.
 * What to do depends on why it is off: not built in, left out of the list, unreadable, or listed with its programs
 * refused.
 */
function bpfLsmRemedy(report: EnvReport): string {
  const [need, route] = bpfLsmNeedAndRoute(report);
  const labVm = labVmRunsBpfLsm(report) ? labVmRoute(report.labVm) : null;
  return `${need}: ${labVm ? `${labVm}; or ${route}` : route}`;
}

function bpfLsmNeedAndRoute(report: EnvReport): [need: string, route: string] {
  const { bpfLsm } = report.ebpf;
  if (bpfLsm.compiled === false) return ['needs the BPF LSM, and this kernel is built without it (no CONFIG_BPF_LSM=y)', bpfLsmKernelRoute(report)];
  if (bpfLsm.active === true && bpfLsm.programsLoad === false) return [bpfLsmProgramsRefused(report), bpfLsmLoadingKernelRoute(report)];
  if (bpfLsm.active === null) {
    return [
      `needs the BPF LSM active, and isolab cannot tell whether it is (${bpfLsm.why})`,
      `${asRoot(report, `mount -t securityfs securityfs ${securityfsMountPoint}`)}${privilegedOnly(report)}, then run isolab doctor again`,
    ];
  }
  const cause = {
    securityfs: `it is not in the active LSM list (${bpfLsm.list?.join(',')})`,
    cmdline: `the kernel command line's lsm=${bpfLsm.list?.join(',')} leaves it out`,
    config: "the kernel's default LSM list (CONFIG_LSM) leaves it out and no lsm= on the command line adds it",
    none: 'it is not active',
  }[bpfLsm.source];
  const unknownBuild = bpfLsm.compiled === null ? ' (this works if the kernel is built with CONFIG_BPF_LSM=y, which no readable config here tells)' : '';
  const wanted = bpfLsm.lsmWithBpf;
  if (!wanted) return [`needs the BPF LSM active, and ${cause}`, `boot with lsm=<the current list>,bpf${unknownBuild}`];
  // Before Linux 6.9 the active list does not show integrity, which an lsm= without it would turn off.
  const fromActive = wanted.from === 'securityfs' ? ' (add any LSM your kernel config\'s CONFIG_LSM names that the active list does not show, such as integrity)' : '';
  return [`needs the BPF LSM active, and ${cause}`, `${bpfLsmCommandLineRoute(report, `lsm=${wanted.value}`)}${fromActive}${unknownBuild}`];
}

/** How to give this machine's kernel a command-line parameter, by who boots it. */
function bpfLsmCommandLineRoute(report: EnvReport, parameter: string): string {
  if (report.environment.kind === 'wsl2' || report.kernel.flavour === 'wsl2') {
    return `in %UserProfile%\\.wslconfig add "kernelCommandLine = ${parameter}" under [wsl2], then run "wsl --shutdown"`;
  }
  if (isContained(report)) return `the host's kernel decides, and a container cannot change it: boot the host with ${parameter}, ${classroomVm}`;
  if (report.kernel.flavour === 'firecracker') return `this microVM's kernel command line is set by its host: add ${parameter} to its boot arguments there, ${classroomVm}`;
  return `add ${parameter} to GRUB_CMDLINE_LINUX in /etc/default/grub (replacing any lsm= there), run update-grub and reboot`;
}

/** A kernel that lists bpf and still refuses its programs: no boot parameter helps, only another kernel. */
function bpfLsmProgramsRefused(report: EnvReport): string {
  const tracing = report.ebpf.programTypes?.tracing === false ? '; tracing (fentry/fexit) programs, which attach through BPF trampolines as LSM programs do, are refused too' : '';
  return `needs BPF LSM programs to load, and this kernel refuses them although bpf is in its active LSM list (bpftool -j feature probe kernel: have_lsm_prog_type false${tracing})`;
}

/** Another kernel, one that loads BPF LSM programs, by who chooses this machine's kernel. */
function bpfLsmLoadingKernelRoute(report: EnvReport): string {
  const kernel = "a kernel that loads BPF LSM programs (Debian 12's and 13's do)";
  if (isContained(report)) return `the host's kernel decides: run the container on a host with ${kernel}, ${classroomVm}`;
  if (report.kernel.flavour === 'firecracker') return `this microVM's kernel is given by its host: boot it with ${kernel}, ${classroomVm}`;
  return `boot ${kernel}, ${classroomVm}`;
}

function bpfLsmKernelRoute(report: EnvReport): string {
  if (report.environment.kind === 'wsl2' || report.kernel.flavour === 'wsl2') {
    return `build a WSL2 kernel with CONFIG_BPF_LSM=y and bpf in CONFIG_LSM (from microsoft/WSL2-Linux-Kernel's config-wsl) and name it in %UserProfile%\\.wslconfig (kernel= under [wsl2]), ${classroomVm}`;
  }
  if (isContained(report)) return `the host's kernel decides: run the container on a host whose kernel has it (Debian 12's and 13's do), ${classroomVm}`;
  return `boot a kernel built with CONFIG_BPF_LSM=y (Debian 12's and 13's are, with bpf in their default LSM list), ${classroomVm}`;
}

/** The lab VM's guest mounts no tracefs either, so it is not offered. */
function tracingRemedy(report: EnvReport): string {
  const { tracing } = report.ebpf;
  if (!tracing.tracefs) {
    const mount = asRoot(report, `mount -t tracefs tracefs ${tracefsMountPoint}`);
    return `needs tracefs for tracepoints, and it is not mounted: ${mount}${privilegedOnly(report)}`;
  }
  if (tracing.tracepoints === null) return `needs root to read tracefs (${tracing.tracefs}): ${rootShell}`;
  return `needs tracepoints, and ${tracing.tracefs}/events has none: a kernel built with CONFIG_TRACEPOINTS and CONFIG_BPF_EVENTS (Debian's are)`;
}
