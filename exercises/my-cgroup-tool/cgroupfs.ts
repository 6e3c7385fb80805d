// Complete: the two things every command needs. Read it before lesson 2.2.
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from './errors.js';

/** Where the cgroup v2 tree is mounted. MY_CGROUP_ROOT points elsewhere (tests do that). */
export const cgroupRoot = process.env.MY_CGROUP_ROOT ?? '/sys/fs/cgroup';

/** `isolab/lab` → `/sys/fs/cgroup/isolab/lab`. Names are paths from the root, like cgcreate's. */
export function cgroupDir(name: string): string {
  const parts = name.split('/').filter(Boolean);
  if (parts.length === 0 || parts.includes('..')) throw new ToolError(`"${name}" is not a cgroup name below the root (e.g. isolab/lab)`, 2);
  return join(cgroupRoot, ...parts);
}

/**
 * Writes one value to a cgroup file. O_WRONLY and no O_CREAT: the kernel makes the files, and creating one
 * would turn "this controller is not enabled here" (ENOENT) into a confusing EACCES.
 */
export function writeCgroupFile(path: string, value: string): void {
  const fd = openSync(path, constants.O_WRONLY);
  try {
    writeSync(fd, value);
  } finally {
    closeSync(fd);
  }
}
