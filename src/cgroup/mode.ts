import { statfsSync } from 'node:fs';
import { join } from 'node:path';
import { readMountInfo, type SystemRoot } from '../system/index.js';

export type CgroupMode = 'v1' | 'hybrid' | 'v2' | 'unknown';

// Filesystem magic numbers (linux/magic.h); kernel-facts §2.
const CGROUP2_SUPER_MAGIC = 0x63677270;
const CGROUP_SUPER_MAGIC = 0x27e0eb;
const TMPFS_MAGIC = 0x01021994;

/**
 * The method systemd, runc and containerd share: statfs(/sys/fs/cgroup) is cgroup2 → unified; tmpfs → look at
 * /sys/fs/cgroup/unified: cgroup2 there → hybrid, otherwise legacy v1. Where statfs cannot tell (a fixture tree
 * is an ordinary directory), the mount table says the same thing, as libcgroup reads it.
 */
export function detectCgroupMode(system: SystemRoot): CgroupMode {
  // statfs speaks for the live /sys only; a fixture tree may itself sit on a tmpfs.
  if (system.sys !== '/sys') return modeFromMounts(system);
  const top = fsType(join(system.sys, 'fs/cgroup'));
  if (top === CGROUP2_SUPER_MAGIC) return 'v2';
  if (top === TMPFS_MAGIC) {
    const unified = fsType(join(system.sys, 'fs/cgroup/unified'));
    if (unified === CGROUP2_SUPER_MAGIC) return 'hybrid';
    if (hasV1Mounts(system)) return 'v1';
  }
  if (top === CGROUP_SUPER_MAGIC) return 'v1';
  return modeFromMounts(system);
}

export function modeFromMounts(system: SystemRoot): CgroupMode {
  const mounts = readMountInfo(system.proc);
  const at = (point: string) => mounts.find((mount) => mount.mountPoint === point);
  if (at('/sys/fs/cgroup')?.fsType === 'cgroup2') return 'v2';
  const v1 = mounts.some((mount) => mount.fsType === 'cgroup');
  if (v1 && mounts.some((mount) => mount.fsType === 'cgroup2')) return 'hybrid';
  return v1 ? 'v1' : 'unknown';
}

function hasV1Mounts(system: SystemRoot): boolean {
  return readMountInfo(system.proc).some((mount) => mount.fsType === 'cgroup');
}

function fsType(path: string): number | undefined {
  try {
    return Number(statfsSync(path).type);
  } catch {
    return undefined;
  }
}
