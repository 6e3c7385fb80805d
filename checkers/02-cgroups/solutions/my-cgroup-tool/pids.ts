// Lesson 2.5, solved.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupDir, writeCgroupFile } from './cgroupfs.js';
import { ToolError } from './errors.js';

export function setPidsMax(name: string, count: string): void {
  // The kernel takes 0 too (kernel/cgroup/pids.c pids_max_write refuses only limit < 0): no new task may start.
  if (count !== 'max' && !/^(0|[1-9]\d*)$/.test(count)) throw new ToolError(`"${count}" is not a number of processes (0 or more, or max)`, 2);
  const file = join(cgroupDir(name), 'pids.max');
  try {
    writeCgroupFile(file, count);
  } catch (error) {
    // ENOENT: the kernel makes pids.max only where the parent enables pids.
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw missing ? new ToolError(`${name} has no pids.max: the pids controller is not enabled for it`) : error;
  }
}

export function pidsStats(name: string) {
  const read = (file: string) => readFileSync(join(cgroupDir(name), file), 'utf8').trim();
  // The "max <count>" line of pids.events: the forks and clones the limit refused.
  const refused = /^max (\d+)$/m.exec(read('pids.events'))?.[1] ?? '0';
  const max = read('pids.max');
  return { current: Number(read('pids.current')), max: max === 'max' ? ('max' as const) : Number(max), refusedForks: Number(refused) };
}
