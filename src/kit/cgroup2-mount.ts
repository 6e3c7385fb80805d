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
