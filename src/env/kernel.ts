import { join } from 'node:path';
import { readTrimmed, type SystemRoot } from '../system/index.js';

export type KernelFlavour = 'wsl2' | 'wsl1' | 'linuxkit' | 'orbstack' | 'firecracker' | 'distro' | 'unknown';

export interface KernelLayer {
  release: string;
  version: string;
  flavour: KernelFlavour;
  evidence: string[];
}

/** Who built the kernel, from its release string and command line (kernel-facts §6). */
export function readKernel(system: SystemRoot): KernelLayer {
  const release = readTrimmed(join(system.proc, 'sys/kernel/osrelease')) ?? 'unknown';
  const version = readTrimmed(join(system.proc, 'sys/kernel/version')) ?? '';
  const cmdline = readTrimmed(join(system.proc, 'cmdline')) ?? '';
  const evidence: string[] = [];
  let flavour: KernelFlavour = release === 'unknown' ? 'unknown' : 'distro';
  // systemd matches "Microsoft" or "WSL" case-sensitively; lower-case "microsoft" also appears in Azure kernels.
  if (/microsoft-standard-WSL2|-microsoft-standard$/.test(release) || /WSL2/.test(release)) flavour = 'wsl2';
  else if (/Microsoft/.test(release)) flavour = 'wsl1';
  else if (/linuxkit|-moby/.test(release)) flavour = 'linuxkit';
  else if (/orbstack/.test(release)) flavour = 'orbstack';
  else if (/-fc-|firecracker/.test(release) || /--firecracker-init|virtio_mmio\.device=/.test(cmdline)) flavour = 'firecracker';
  if (flavour !== 'distro' && flavour !== 'unknown') {
    evidence.push(`kernel release ${release}${flavour === 'firecracker' && /firecracker/.test(cmdline) ? ' and a Firecracker kernel command line' : ''}`);
  }
  return { release, version, flavour, evidence };
}
