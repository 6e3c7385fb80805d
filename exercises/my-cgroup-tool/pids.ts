// Lesson 2.5: pids.max and the pids part of stats.
import { cgroupDir, writeCgroupFile } from './cgroupfs.js';
import { ToolError } from './errors.js';

/** Writes pids.max: a whole number (0 is valid: no new task may start), or "max" (anything else: ToolError, exit 2). */
export function setPidsMax(name: string, count: string): void {
  throw new Error(`TODO(2.5): write ${count} to ${cgroupDir(name)}/pids.max`);
}

/** { current, max, refusedForks } from pids.current, pids.max and the max line of pids.events. */
export function pidsStats(name: string): { current: number; max: number | 'max'; refusedForks: number } {
  throw new Error(`TODO(2.5): read the pids files of ${cgroupDir(name)}`);
}

void writeCgroupFile;
void ToolError;
