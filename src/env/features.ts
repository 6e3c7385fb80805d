import { join } from 'node:path';
import { pathExists, type SystemRoot } from '../system/index.js';

export interface KernelFeatures {
  btf: boolean;
  loopDevice: boolean;
  psi: boolean;
}

/** Kernel features, by probing for their files: distribution kernels backport, so versions would lie. */
export function readFeatures(system: SystemRoot): KernelFeatures {
  const at = (path: string) => pathExists(join(system.root, path));
  return {
    btf: pathExists(join(system.sys, 'kernel/btf/vmlinux')),
    loopDevice: at('dev/loop-control'),
    psi: pathExists(join(system.proc, 'pressure/cpu')),
  };
}
