import { realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { usageError } from '../errors/index.js';

/**
 * A cgroup name is a path relative to the cgroup mount root, as with cgcreate: `isolab/lab` is
 * `<mount>/isolab/lab` (and on v1 the same path in each controller hierarchy). Returns the normalised
 * relative path ('' for the root); refuses what would leave the mount.
 */
export function normaliseName(name: string): string {
  if (name.includes('\0') || name.includes('\n')) throw usageError(`bad cgroup name ${JSON.stringify(name)}`, 'A cgroup name is a path like isolab/lab.');
  const segments = name.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) {
    throw usageError(`the cgroup name "${name}" contains "..", which would leave the cgroup tree`, 'Name cgroups by their path from the mount root, e.g. isolab/lab.');
  }
  if (name.startsWith('/sys/fs/cgroup')) {
    throw usageError(`"${name}" is a filesystem path; cgroup names are relative to the cgroup mount`, `Drop the mount point: ${name.replace(/^\/sys\/fs\/cgroup(\/(unified|[a-z_,=]+))?\/?/, '') || '/'}`);
  }
  return segments.join('/');
}

/** The directory of a name under a mount, refusing a path that a symlink would lead out of the mount. */
export function directoryOf(mountDir: string, relative: string): string {
  const dir = relative === '' ? mountDir : posix.join(mountDir, relative);
  refuseControlFile(mountDir, relative, dir);
  // cgroupfs has no symlinks; a path that resolves elsewhere was made by something else (a bind mount, a link).
  try {
    const real = realpathSync(dir);
    if (real !== dir && !real.startsWith(`${realpathSync(mountDir)}/`) && real !== realpathSync(mountDir)) {
      throw usageError(`the cgroup "${relative}" resolves to ${real}, outside ${mountDir}`, 'Use a plain cgroup path; links are not followed.');
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return dir;
}

/**
 * A name that is, or passes through, one of a cgroup's files (`isolab/lab/cgroup.procs`, `…/memory.max/x`) is a
 * usage error: otherwise mkdir says ENOTDIR, or the file passes for an existing cgroup.
 */
function refuseControlFile(mountDir: string, relative: string, dir: string): void {
  if (isDirectoryOrMissing(dir)) return;
  const segments = relative.split('/');
  for (let depth = 1; depth <= segments.length; depth++) {
    const name = segments.slice(0, depth).join('/');
    if (isDirectoryOrMissing(posix.join(mountDir, name))) continue;
    const parent = segments.slice(0, depth - 1).join('/');
    throw usageError(
      `"${name}" is a control file of ${parent === '' ? 'the root cgroup' : `the cgroup ${parent}`}, not a cgroup`,
      'A cgroup name is a path of cgroups (directories), e.g. isolab/lab. Set a control file with cgroup-tool set <cgroup> <key>=<value>.',
    );
  }
}

/** False only for what is shown not to be a directory (a file, or a path through one). */
function isDirectoryOrMissing(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOTDIR';
  }
}
