import { join, posix } from 'node:path';
import { readMountInfo, readText, type MountEntry, type SystemRoot } from '../system/index.js';

/** One line of /proc/<pid>/cgroup: `hierarchy-id:controllers:path`; v2 is `0::/path`. */
export interface CgroupMembership {
  hierarchy: number;
  /** v1 controllers of that hierarchy (`name=systemd` for named ones); empty for v2. */
  controllers: string[];
  path: string;
}

export function parseProcCgroup(text: string): CgroupMembership[] {
  const lines: CgroupMembership[] = [];
  for (const line of text.split('\n')) {
    const match = /^(\d+):([^:]*):(\/.*)$/.exec(line.trim());
    if (!match) continue;
    lines.push({ hierarchy: Number(match[1]), controllers: match[2] ? match[2].split(',') : [], path: match[3]! });
  }
  return lines;
}

export function readOwnCgroups(system: SystemRoot, pid: number | 'self' = 'self'): CgroupMembership[] | undefined {
  const text = readText(join(system.proc, String(pid), 'cgroup'));
  if (text === undefined) return undefined;
  return parseProcCgroup(text);
}

/** The cgroup mounts: cgroup2 and each v1 hierarchy. */
export function cgroupMounts(system: SystemRoot): MountEntry[] {
  return readMountInfo(system.proc).filter((mount) => mount.fsType === 'cgroup' || mount.fsType === 'cgroup2');
}

/**
 * Where a cgroup path lives on disk: the mount whose root is a prefix of the path, plus the rest
 * (`dir = mountpoint + (path − root)`, kernel-facts §2). In a cgroup namespace the path is `/` and the mount
 * root is `/` too. `undefined` when no mount shows that cgroup (it lies outside what this namespace sees).
 */
export function cgroupDirectory(system: SystemRoot, mount: MountEntry, path: string): string | undefined {
  const root = mount.root;
  if (root !== '/' && path !== root && !path.startsWith(`${root}/`)) return undefined;
  const rest = root === '/' ? path : path.slice(root.length) || '/';
  return join(system.root, mount.mountPoint, posix.normalize(rest));
}

/** The v2 mount (at /sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid host). */
export function unifiedMount(system: SystemRoot): MountEntry | undefined {
  const mounts = cgroupMounts(system).filter((mount) => mount.fsType === 'cgroup2');
  return mounts.find((mount) => mount.mountPoint === '/sys/fs/cgroup') ?? mounts[0];
}

/** The v1 hierarchy that carries a controller (`memory`, `pids`, `name=systemd`…). */
export function v1Mount(system: SystemRoot, controller: string): MountEntry | undefined {
  return cgroupMounts(system).find((mount) => mount.fsType === 'cgroup' && mount.superOptions.includes(controller));
}
