// Lesson 2.3: memory.max and the memory part of stats.
import { cgroupDir, writeCgroupFile } from './cgroupfs.js';
import { ToolError } from './errors.js';

/** "50M" → 52428800, "1.5G" → 1610612736, "512K", a plain number of bytes, or "max". Bad input: ToolError(…, 2). */
export function parseSize(text: string): number | 'max' {
  throw new Error(`TODO(2.3): turn "${text}" into bytes (K, M, G are powers of 1024) or "max"`);
}

/**
 * Writes memory.max. If the file does not exist, the memory controller is not enabled for this cgroup: say so
 * clearly (ToolError, exit 3), naming the controller and the parent's cgroup.subtree_control.
 */
export function setMemoryMax(name: string, size: string): void {
  throw new Error(`TODO(2.3): write the limit to ${cgroupDir(name)}/memory.max`);
}

/** { current, max, oomKills } from memory.current, memory.max and the oom_kill line of memory.events. */
export function memoryStats(name: string): { current: number; max: number | 'max'; oomKills: number } {
  throw new Error(`TODO(2.3): read the memory files of ${cgroupDir(name)}`);
}

void writeCgroupFile;
void ToolError;
