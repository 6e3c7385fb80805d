/**
 * What a cgroupfs errno means, in words a learner can act on (kernel-facts §3.1, verified on real kernels).
 * `operation` says which kind of write failed, because the same errno means different things.
 */
export type CgroupOperation = 'enable-controller' | 'attach' | 'write-limit' | 'create' | 'remove';

export function explainCgroupErrno(code: string | undefined, operation: CgroupOperation, file: string): string {
  const v1Memory = /\/memory\.(memsw\.)?limit_in_bytes$/.test(file);
  switch (code) {
    case 'EBUSY':
      return operation === 'enable-controller'
        ? `${file}: this cgroup holds processes, and a non-root cgroup with processes cannot enable controllers for children (the no-internal-processes rule); move the processes into a child first`
        : operation === 'attach'
          ? `${file}: this cgroup has controllers enabled for its children, so it cannot hold processes itself (no internal processes); attach to a leaf cgroup`
          : operation === 'remove'
            ? `${file}: the cgroup still has processes or child cgroups`
            : v1Memory
              ? `${file}: the cgroup uses more memory than the new limit, and the kernel could not reclaim enough to get under it`
              : `${file}: the kernel refused the value while the cgroup is in use`;
    case 'ENOENT':
      return operation === 'enable-controller'
        ? `${file}: that controller is not available here (not in cgroup.controllers: the parent did not delegate it)`
        : `${file} does not exist: the controller is not enabled in the parent's cgroup.subtree_control, or the cgroup is gone`;
    case 'EACCES':
    case 'EPERM':
      return `${file}: permission denied (not root, or this cgroup was not delegated to you)`;
    case 'EROFS':
      return `${file}: the cgroup filesystem is mounted read-only (usual in a container without --privileged)`;
    case 'ESRCH':
      return `${file}: no such process`;
    case 'EINVAL':
      return v1Memory
        ? `${file}: the kernel refused the value: on cgroup v1 memory.memsw.limit_in_bytes (memory+swap) must stay at least memory.limit_in_bytes`
        : `${file}: the kernel rejected the value (wrong format, or more than one value in one write)`;
    case 'ENOTSUP':
    case 'EOPNOTSUPP':
      return `${file}: not supported in this cgroup (a threaded cgroup?)`;
    default:
      return `${file}: ${code ?? 'unknown error'}`;
  }
}
