// Lesson 2.7: several limits at once, and pressure (PSI).
import { cgroupDir } from './cgroupfs.js';
import { ToolError } from './errors.js';

/**
 * Applies "memory.max=64M", "cpu.max=50%", "pids.max=20" (any of them, in any order) with the functions of
 * lessons 2.3–2.5. Check every assignment before writing any, so a typo changes nothing.
 */
export function applyBundle(name: string, assignments: string[]): void {
  throw new Error(`TODO(2.7): apply ${assignments.join(' ')} to ${cgroupDir(name)}`);
}

/** { memory, cpu, io } → the "some avg10" value of memory.pressure, cpu.pressure and io.pressure. */
export function pressureStats(name: string): Record<string, number> {
  throw new Error(`TODO(2.7): read the *.pressure files of ${cgroupDir(name)}`);
}

void ToolError;
