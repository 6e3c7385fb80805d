import { closeSync, constants, openSync, writeSync } from 'node:fs';

/**
 * Writes one value to a cgroup control file with O_WRONLY and no O_CREAT: writeFileSync's O_CREAT turns a
 * missing controller file into a misleading EACCES instead of ENOENT, and kernfs refuses O_RDWR on
 * write-only files such as cgroup.kill. One value per write(2), as cgroup.procs requires (kernel-facts §3.1).
 * A refused write carries the file's path, as a refused open does: on v1 the path is what says which
 * hierarchy refused.
 */
export function writeControlFile(path: string, value: string): void {
  const fd = openSync(path, constants.O_WRONLY);
  try {
    writeSync(fd, value);
  } catch (error) {
    if (error instanceof Error && (error as NodeJS.ErrnoException).path === undefined) Object.assign(error, { path });
    throw error;
  } finally {
    closeSync(fd);
  }
}
