import { join } from 'node:path';
import { pathExists, readText, readTrimmed, type SystemRoot } from '../system/index.js';
import type { KernelLayer } from './kernel.js';

export interface VmLayer {
  /** true: a hypervisor; false: bare metal (positive evidence of real hardware); null: cannot tell. */
  detected: boolean | null;
  hypervisor: string | null;
  evidence: string[];
}

// DMI prefixes (systemd src/basic/virt.c); product_name first, so KVM wins over QEMU.
const dmiVendors: Array<[RegExp, string]> = [
  [/^(KVM|OpenStack|KubeVirt)/, 'kvm'],
  [/^Amazon EC2/, 'amazon'],
  [/^QEMU/, 'qemu'],
  [/^(VMware|VMW)/, 'vmware'],
  [/^(innotek GmbH|VirtualBox|Oracle Corporation)/, 'oracle'],
  [/^Xen/, 'xen'],
  [/^Bochs/, 'bochs'],
  [/^Parallels/, 'parallels'],
  [/^BHYVE/, 'bhyve'],
  [/^(Microsoft Corporation|Hyper-V)/, 'microsoft'],
  [/^Apple Virtualization/, 'apple'],
  [/^Google( Compute Engine)?$/, 'google'],
];

/**
 * A container sees its host's CPU flags and DMI, so this layer describes the machine underneath any container.
 * Node has no CPUID: the `hypervisor` flag in /proc/cpuinfo stands for CPUID leaf 1 ECX bit 31.
 */
export function readVirtualization(system: SystemRoot, kernel: KernelLayer): VmLayer {
  const evidence: string[] = [];
  const dmiDir = join(system.sys, 'class/dmi/id');
  const dmi = ['product_name', 'sys_vendor', 'board_vendor', 'bios_vendor']
    .map((field) => [field, readTrimmed(join(dmiDir, field))] as const)
    .filter((entry): entry is readonly [string, string] => Boolean(entry[1]));
  const cpuinfo = readText(join(system.proc, 'cpuinfo'));
  // Only x86 has a `flags` line; elsewhere (ARM: `Features`) its absence says nothing.
  const hypervisorFlag = cpuinfo === undefined || !/^flags\s*:/m.test(cpuinfo) ? undefined : /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo);

  for (const [field, value] of dmi) {
    const vendor = dmiVendors.find(([pattern]) => pattern.test(value))?.[1];
    // Microsoft also makes hardware (Surface): its DMI means Hyper-V only with a hypervisor flag or "Virtual Machine".
    const surface = vendor === 'microsoft' && hypervisorFlag === false && !dmi.some(([, text]) => /Virtual Machine/.test(text));
    if (vendor && !surface && !(vendor === 'amazon' && /\.metal/.test(value))) {
      evidence.push(`DMI ${field} is "${value}"`);
      return { detected: true, hypervisor: vendor, evidence };
    }
  }
  if (kernel.flavour === 'linuxkit') {
    evidence.push(`a linuxkit kernel (${kernel.release}) runs only inside Docker Desktop's Linux VM`);
    return { detected: true, hypervisor: 'vm-other', evidence };
  }
  if (kernel.flavour === 'wsl2') {
    evidence.push('a WSL2 kernel runs in a Hyper-V VM');
    return { detected: true, hypervisor: 'microsoft', evidence };
  }
  const xenType = readTrimmed(join(system.sys, 'hypervisor/type'));
  if (xenType) {
    evidence.push(`/sys/hypervisor/type is ${xenType}`);
    return { detected: true, hypervisor: xenType, evidence };
  }
  if (hypervisorFlag) {
    evidence.push('the CPU reports the hypervisor flag (/proc/cpuinfo)');
    // Missing DMI says something only where sysfs is mounted (/sys/class exists): a chroot without /sys has none either.
    if (kernel.flavour === 'firecracker' || (dmi.length === 0 && !pathExists(dmiDir) && pathExists(join(system.sys, 'class')))) {
      // Firecracker exposes no DMI at all (kernel-facts §6).
      if (kernel.flavour === 'firecracker') evidence.push(...kernel.evidence, 'no DMI tables (as under Firecracker)');
      return { detected: true, hypervisor: kernel.flavour === 'firecracker' ? 'firecracker' : 'kvm', evidence };
    }
    return { detected: true, hypervisor: 'vm-other', evidence };
  }
  if (hypervisorFlag === false && dmi.length > 0) {
    evidence.push(`no hypervisor flag, and DMI names real hardware (${dmi[0]![1]})`);
    return { detected: false, hypervisor: null, evidence };
  }
  if (hypervisorFlag === false) {
    evidence.push('no hypervisor flag in /proc/cpuinfo');
    return { detected: false, hypervisor: null, evidence };
  }
  return {
    detected: null,
    hypervisor: null,
    evidence: [cpuinfo === undefined ? '/proc/cpuinfo could not be read, and no DMI tables were found' : 'this CPU reports no hypervisor flag (not x86), and no DMI tables were found'],
  };
}
