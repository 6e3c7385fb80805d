// Lesson 4.2: the jail. One cgroup with limits, and one command line that adds namespaces, the chroot and
// the uid. (Reference solution.)
import { mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface JailOptions {
  /** The jail's name: its cgroup is isolab/jail-<id>. */
  id: string;
  /** A root filesystem (isolab rootfs makes one). */
  rootfs: string;
  /** memory.max, in bytes. */
  memory: number;
  /** pids.max. */
  pids: number;
  /** The uid (and gid) the command runs as. */
  uid: number;
  command: string[];
}

/** Given: the cgroup v2 mount. */
export const cgroupRoot = '/sys/fs/cgroup';

/** Given: one write to a cgroup file (the kernel wants one value per write()). */
export function writeCgroupFile(path: string, value: string): void {
  writeFileSync(path, value);
}

/** Given: mkdir that does not mind an existing directory. */
export function makeDir(path: string): void {
  mkdirSync(path, { recursive: true });
}

/**
 * Makes <cgroupRoot>/isolab/jail-<id> with memory.max and pids.max set from the options, and returns its path.
 * Each level above it must pass memory and pids on: "+memory +pids" into the root's and isolab's
 * cgroup.subtree_control, before the jail's directory is made.
 */
export function createJailCgroup(options: JailOptions): string {
  for (const parent of [cgroupRoot, `${cgroupRoot}/isolab`]) {
    makeDir(parent);
    writeCgroupFile(`${parent}/cgroup.subtree_control`, '+memory +pids');
  }
  const dir = `${cgroupRoot}/isolab/jail-${options.id}`;
  makeDir(dir);
  writeCgroupFile(`${dir}/memory.max`, String(options.memory));
  writeCgroupFile(`${dir}/pids.max`, String(options.pids));
  return dir;
}

/**
 * The command line that runs options.command in new UTS, IPC, mount, network and PID namespaces (unshare,
 * forking so the command is pid 1 of its PID namespace), chrooted into options.rootfs, as options.uid with
 * that gid and no supplementary groups.
 */
export function jailArgv(options: JailOptions): string[] {
  return [
    'unshare', '--uts', '--ipc', '--mount', '--net', '--pid', '--fork', '--kill-child',
    'chroot', `--userspec=${options.uid}:${options.uid}`, '--groups=', options.rootfs,
    ...options.command,
  ];
}

/** Given: removes the jail's cgroup once its processes are gone (rmdir is retried while they exit). */
export async function removeJailCgroup(path: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      rmdirSync(path);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || attempt >= 40) throw error;
      await sleep(25);
    }
  }
}
