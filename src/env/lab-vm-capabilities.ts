import { namespaceKinds } from './probes.js';
import { capabilitiesOf, type EnvReport } from './report.js';

// Decided by the guest, not by this machine (vm/lanes/guest/stage2.sh mounts securityfs, tracefs and bpffs).
const guestDecides = new Set(['bpf-lsm', 'tracing', 'bpffs', 'btf']);

// What the lab VM's guest has at its root (vm/lanes/guest/stage2.sh mounts cgroup2 with these available, and
// nothing else holds them: all are delegable to the lab).
const guestControllers = ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids', 'rdma', 'misc'];

/**
 * The capabilities a lesson would find inside `isolab vm`: root, cgroup v2 with every controller, every namespace
 * kind and loop devices (the guest loads the module), with this machine's tools (the guest runs this machine's
 * userland). No cgroup v1: the guest mounts only cgroup2. tracefs and bpffs (the guest mounts them), and the BPF LSM
 * and BTF as the guest kernel's configuration says (env/lab-vm.ts).
 */
export function labVmCapabilities(report: EnvReport): Set<string> {
  const capabilities = new Set(
    capabilitiesOf(report).filter((key) => !key.startsWith('cgroup1:') && !key.startsWith('delegation:') && !guestDecides.has(key)),
  );
  for (const key of ['root', 'cgroup2', 'cgroup2-tree', 'loop-device']) capabilities.add(key);
  for (const controller of guestControllers) capabilities.add(`delegation:${controller}`);
  for (const kind of namespaceKinds) capabilities.add(`ns:${kind}`);
  for (const key of ['tracing', 'bpffs']) capabilities.add(key);
  if (labVmRunsBpfLsm(report)) capabilities.add('bpf-lsm');
  if (report.labVm.kernel?.btf) capabilities.add('btf');
  return capabilities;
}

/**
 * The lab VM's kernel has the BPF LSM built in and listed by its config, and is not this machine's own kernel where
 * this one refuses LSM programs (the same kernel would refuse them in the guest).
 */
export function labVmRunsBpfLsm(report: EnvReport): boolean {
  const kernel = report.labVm.kernel;
  return kernel?.bpfLsm === true && !(kernel.source === 'host' && report.ebpf.bpfLsm.programsLoad === false);
}
