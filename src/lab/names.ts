/**
 * Every piece of lab state isolab or a checker makes carries an isolab name, so `isolab clean` can find it
 * and the tests can prove nothing leaked.
 */
export const labPrefix = 'isolab';

/** Lab cgroups live under `isolab/` at the top of each hierarchy (as runc's cgroupfs driver does). */
export const labCgroupDir = 'isolab';

/** Lab mounts, loop images and bundles live below these directories. */
export const labDirs = ['/run/isolab', '/tmp/isolab-lab'] as const;

export function isLabName(name: string): boolean {
  return name.startsWith(labPrefix);
}

export function isLabPath(path: string): boolean {
  return labDirs.some((dir) => path === dir || path.startsWith(`${dir}/`));
}
