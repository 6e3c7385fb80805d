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

/**
 * The learner's compiled program lives in `<tmp>/isolab-exercise-<pid>-XXXXXX` while a check runs it. The pid of
 * the isolab that made it lets `isolab clean` remove what a killed verify left, and leave a running one's alone.
 */
export const compiledProgramPrefix = 'isolab-exercise-';

/** The pid in a compiled program's directory name, or undefined when the name is not one. */
export function compiledProgramOwner(name: string): number | undefined {
  const match = new RegExp(`^${compiledProgramPrefix}(\\d+)-`).exec(name);
  return match ? Number(match[1]) : undefined;
}
