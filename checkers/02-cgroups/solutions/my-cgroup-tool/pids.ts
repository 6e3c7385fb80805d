// Lesson 2.5, solved.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupDir, writeCgroupFile } from './cgroupfs.js';
import { ToolError } from './errors.js';

export function setPidsMax(name: string, count: string): void {
  // The kernel takes 0 too (kernel/cgroup/pids.c pids_max_write refuses only limit < 0): no new task may start.
  if (count !== 'max' && !/^(0|[1-9]\d*)$/.test(count)) throw new ToolError(`"${count}" is not a number of processes (0 or more, or max)`, 2);
  try {
    writeCgroupFile(join(cgroupDir(name), 'pids.max'), count);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ToolError(`${name} has no pids.max: the pids controller is not enabled for it`);
    throw error;
  }
}

export function pidsStats(name: string) {
  const dir = cgroupDir(name);
  const read = (file: string) => readFileSync(join(dir, file), 'utf8').trim();
  const events = Object.fromEntries(read('pids.events').split('\n').map((line) => line.split(' ')));
  const max = read('pids.max');
  return { current: Number(read('pids.current')), max: max === 'max' ? ('max' as const) : Number(max), refusedForks: Number(events.max ?? 0) };
}
