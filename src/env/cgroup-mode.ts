import { statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { SystemRoot } from '../system/index.js';

export type CgroupMode = 'v1' | 'hybrid' | 'v2' | 'unknown';

// Filesystem magic numbers (linux/magic.h); kernel-facts §2.
const CGROUP2_SUPER_MAGIC = 0x63677270;
const TMPFS_MAGIC = 0x01021994;

/**
 * The method systemd, runc and containerd share: statfs(/sys/fs/cgroup) is cgroup2 → unified; tmpfs → look at
 * /sys/fs/cgroup/unified: cgroup2 there → hybrid, otherwise legacy v1.
 */
export function detectCgroupMode(system: SystemRoot): CgroupMode {
  const top = fsType(join(system.sys, 'fs/cgroup'));
  if (top === CGROUP2_SUPER_MAGIC) return 'v2';
  if (top !== TMPFS_MAGIC) return 'unknown';
  return fsType(join(system.sys, 'fs/cgroup/unified')) === CGROUP2_SUPER_MAGIC ? 'hybrid' : 'v1';
}

function fsType(path: string): number | undefined {
  try {
    return Number(statfsSync(path).type);
  } catch {
    return undefined;
  }
}
