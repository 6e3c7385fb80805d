// Lesson 2.4: cpu.max and the cpu part of stats.
import { cgroupDir, writeCgroupFile } from './cgroupfs.js';
import { ToolError } from './errors.js';

/** "50%" or "0.5" (of one CPU) → "50000 100000"; "2" → "200000 100000"; "max" → "max 100000". Bad input: ToolError(…, 2). */
export function parseCpuMax(text: string): string {
  throw new Error(`TODO(2.4): turn "${text}" into "quota period" in microseconds`);
}

/** Writes cpu.max (a missing file means the cpu controller is not enabled here: ToolError, exit 3). */
export function setCpuMax(name: string, share: string): void {
  throw new Error(`TODO(2.4): write the limit to ${cgroupDir(name)}/cpu.max`);
}

/** { max, periods, throttled, throttledUsec } from cpu.max and cpu.stat (nr_periods, nr_throttled, throttled_usec). */
export function cpuStats(name: string): { max: string; periods: number; throttled: number; throttledUsec: number } {
  throw new Error(`TODO(2.4): read cpu.max and cpu.stat of ${cgroupDir(name)}`);
}

void writeCgroupFile;
void ToolError;
