import { namespaceKinds } from './probes.js';
import { capabilitiesOf, type EnvReport } from './report.js';

// What the guest does not mount (vm/lanes/guest/stage2.sh): isolab inside could not vouch for these, whatever the
// host has and even where the guest's kernel runs the BPF LSM (Debian's do).
const notInGuest = new Set(['bpf-lsm', 'tracing', 'bpffs']);

// What the lab VM's guest has at its root (vm/lanes/guest/stage2.sh mounts cgroup2 with these available, and
// nothing else holds them: all are delegable to the lab).
const guestControllers = ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids', 'rdma', 'misc'];

/**
 * The capabilities a lesson would find inside `isolab vm`: root, cgroup v2 with every controller, every namespace
 * kind and loop devices (the guest loads the module), with this machine's tools (the guest runs this machine's
 * userland). No cgroup v1: the guest mounts only cgroup2. BTF only as this machine reports it. No BPF LSM, tracing
 * or bpffs: the guest mounts none of securityfs, tracefs and bpffs.
 */
export function labVmCapabilities(report: EnvReport): Set<string> {
  const capabilities = new Set(
    capabilitiesOf(report).filter((key) => !key.startsWith('cgroup1:') && !key.startsWith('delegation:') && !notInGuest.has(key)),
  );
  for (const key of ['root', 'cgroup2', 'loop-device']) capabilities.add(key);
  for (const controller of guestControllers) capabilities.add(`delegation:${controller}`);
  for (const kind of namespaceKinds) capabilities.add(`ns:${kind}`);
  return capabilities;
}
