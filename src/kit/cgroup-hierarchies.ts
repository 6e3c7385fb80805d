import { rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupMounts } from '../cgroup/index.js';
import { errnoCode } from '../errors/index.js';
import { removeCgroupTree } from '../lab/index.js';
import { listNames, pathExists } from '../system/index.js';
import type { CheckContext } from '../verify/index.js';

/** A cgroup directory as a learner types it (`/sys/fs/cgroup/memory/isolab/rb4`) and as this check reads it. */
export interface CgroupDir {
  shown: string;
  dir: string;
}

/** The top of every mounted cgroup hierarchy, v1 controllers and cgroup2 alike, each mount point once. */
export function cgroupHierarchies(context: Pick<CheckContext, 'system'>): CgroupDir[] {
  const mountPoints = new Set(cgroupMounts(context.system).map((mount) => mount.mountPoint));
  return [...mountPoints].map((mountPoint) => ({ shown: mountPoint, dir: join(context.system.root, mountPoint) }));
}

/** The cgroups directly below `cgroup` (directories that hold a cgroup.procs), by name. */
function childCgroups(cgroup: CgroupDir): CgroupDir[] {
  return listNames(cgroup.dir)
    .filter((name) => pathExists(join(cgroup.dir, name, 'cgroup.procs')))
    .map((name) => ({ shown: `${cgroup.shown}/${name}`, dir: join(cgroup.dir, name) }));
}

/**
 * The cgroup `name` and every cgroup below it, in every hierarchy that has it, deepest first: the order rmdir
 * needs. On cgroup v1 the same cgroup has a directory per hierarchy, and a clean-up must find each.
 */
export function cgroupDirsEverywhere(context: Pick<CheckContext, 'system'>, name: string): CgroupDir[] {
  const found: CgroupDir[] = [];
  const walk = (cgroup: CgroupDir): void => {
    for (const child of childCgroups(cgroup)) walk(child);
    found.push(cgroup);
  };
  for (const top of cgroupHierarchies(context)) {
    const cgroup = { shown: `${top.shown}/${name}`, dir: join(top.dir, name) };
    if (pathExists(join(cgroup.dir, 'cgroup.procs'))) walk(cgroup);
  }
  return found;
}

/**
 * Removes the cgroup `name` from every hierarchy (what runs in it killed, children first), whatever manager or
 * learner made it, then each parent up to the top that nothing else lives in (`isolab`, shared by lessons).
 */
export async function removeCgroupEverywhere(context: Pick<CheckContext, 'system'>, name: string): Promise<void> {
  for (const top of cgroupHierarchies(context)) {
    if (pathExists(join(top.dir, name, 'cgroup.procs'))) await removeCgroupTree(join(top.dir, name));
    const parts = name.split('/');
    for (let depth = parts.length - 1; depth > 0; depth--) {
      try {
        rmdirSync(join(top.dir, ...parts.slice(0, depth)));
      } catch (error) {
        // Another lesson's cgroups below it (EBUSY, ENOTEMPTY), or none there at all: not ours to remove.
        if (!['EBUSY', 'ENOENT', 'ENOTEMPTY'].includes(errnoCode(error) ?? '')) throw error;
      }
    }
  }
}
