import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unifiedMount } from '../cgroup/index.js';
import { blockedError } from '../errors/index.js';
import type { CheckContext } from '../verify/index.js';

export interface Cgroup2Mount {
  /** The mount point as a learner types it: `/sys/fs/cgroup` (or `/sys/fs/cgroup/unified` on a hybrid host). */
  shown: string;
  /** The same directory as this check reads it (under `context.system.root`). */
  dir: string;
}

/**
 * Where cgroup2 is mounted (/sys/fs/cgroup first). A machine without it cannot do the lesson: that is a blocked
 * lesson with a remedy, not a failed check.
 */
export function cgroup2Mount(context: Pick<CheckContext, 'system'>): Cgroup2Mount {
  const mount = unifiedMount(context.system);
  if (!mount) throw blockedError('no cgroup2 mount found', 'This lesson needs cgroup v2; isolab doctor shows what this machine has.');
  return { shown: mount.mountPoint, dir: join(context.system.root, mount.mountPoint) };
}

/** A cgroup under the cgroup2 mount (`isolab/io` → `/sys/fs/cgroup/isolab/io`), as typed and as read. */
export function cgroup2Path(context: Pick<CheckContext, 'system'>, name: string): Cgroup2Mount {
  const mount = cgroup2Mount(context);
  return { shown: join(mount.shown, name), dir: join(mount.dir, name) };
}

/** A cgroup of the v2 tree, as typed and as read, and its id (the inode number of its directory). */
export interface Cgroup2Dir extends Cgroup2Mount {
  id: bigint;
}

/**
 * The cgroup `name` in the v2 tree (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid machine, which has no
 * controllers but ids and membership), undefined where it does not exist. Its id is what BPF programs see
 * (bpf_get_current_cgroup_id): the kernfs id of the directory, which is its inode number on 64-bit machines.
 */
export function cgroup2Dir(context: Pick<CheckContext, 'system'>, name: string): Cgroup2Dir | undefined {
  const path = cgroup2Path(context, name);
  try {
    const stat = statSync(path.dir, { bigint: true });
    return stat.isDirectory() ? { ...path, id: stat.ino } : undefined;
  } catch {
    return undefined;
  }
}

/** The cgroup `name` in the v2 tree, made (with its parents) where missing. */
export function makeCgroup2Dir(context: Pick<CheckContext, 'system'>, name: string): Cgroup2Dir {
  mkdirSync(cgroup2Path(context, name).dir, { recursive: true });
  return cgroup2Dir(context, name)!;
}
