// Lesson 4.1: what the machine gives a sandbox. Each function reads the kernel's own files; none may guess.
import { readdirSync, readFileSync } from 'node:fs';

export type Mode = 'v1' | 'hybrid' | 'v2' | 'none';

/** One line of /proc/self/mountinfo: where it is mounted, the filesystem type and its super options. */
export interface Mount {
  mountPoint: string;
  fsType: string;
  /** Mount options (`rw`, `ro`, …). */
  options: string[];
  /** The filesystem's own options: for a v1 cgroup mount, its controllers (`rw,memory`). */
  superOptions: string[];
}

/** Given: every mount of this process, from /proc/self/mountinfo (fields are described in proc(5)). */
export function readMounts(): Mount[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const fields = line.split(' ');
      const dash = fields.indexOf('-');
      return {
        mountPoint: fields[4]!.replace(/\\040/g, ' '),
        fsType: fields[dash + 1]!,
        options: fields[5]!.split(','),
        superOptions: (fields[dash + 3] ?? '').split(','),
      };
    });
}

/** Given: the v1 controller names a cgroup mount's super options can carry. */
export const v1Controllers = ['blkio', 'cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'hugetlb', 'memory', 'misc', 'net_cls', 'net_prio', 'perf_event', 'pids', 'rdma'];

/** Given: the running kernel's release string. */
export function kernelRelease(): string {
  return readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
}

/**
 * v2: a cgroup2 filesystem is mounted at /sys/fs/cgroup. hybrid: cgroup2 is mounted elsewhere (often
 * /sys/fs/cgroup/unified) beside v1 hierarchies. v1: only v1 hierarchies (fsType cgroup). none: no cgroup mount.
 */
export function cgroupMode(): Mode {
  throw new Error('TODO(4.1): tell v1, hybrid, v2 and none apart from readMounts()');
}

/** Where the cgroup2 filesystem is mounted, or null. */
export function cgroupV2Mount(): string | null {
  throw new Error('TODO(4.1): the mount point of the cgroup2 mount, or null');
}

/**
 * The controllers a sandbox can limit with, sorted. v2: the words of cgroup.controllers at the cgroup2 mount.
 * v1 and hybrid: the controllers of every v1 cgroup mount that is not read-only. none: [].
 */
export function usableControllers(mode: Mode): string[] {
  throw new Error(`TODO(4.1): list the usable controllers for cgroup ${mode}`);
}

/**
 * pidfd_open(2) arrived in Linux 5.3: true when the release string says 5.3 or later. A release you cannot
 * read as <major>.<minor> is the fallback case: answer false (do not promise what you cannot show).
 */
export function pidfdAvailable(): boolean {
  throw new Error('TODO(4.1): compare the kernel release with 5.3');
}

/** The namespace kinds this kernel has: the entries of /proc/self/ns without the *_for_children ones, sorted. */
export function namespaces(): string[] {
  throw new Error('TODO(4.1): list /proc/self/ns');
}

/** Given: what a sandbox gives up on this machine, in words (not checked; read it). */
export function degradations(report: { cgroup: { mode: Mode; controllers: string[] }; pidfd: boolean; namespaces: string[] }): string[] {
  const lost: string[] = [];
  if (report.cgroup.mode !== 'v2') lost.push(`cgroup ${report.cgroup.mode}: no single tree, no cgroup.kill, no delegation to unprivileged users; limits go to each v1 hierarchy`);
  for (const controller of ['memory', 'pids', 'cpu']) {
    if (!report.cgroup.controllers.includes(controller)) lost.push(`no ${controller} controller: no ${controller} limit`);
  }
  if (!report.pidfd) lost.push('no pidfd: processes are tracked by pid, which the kernel may reuse');
  for (const kind of ['user', 'cgroup', 'time']) {
    if (!report.namespaces.includes(kind)) lost.push(`no ${kind} namespace`);
  }
  return lost;
}
