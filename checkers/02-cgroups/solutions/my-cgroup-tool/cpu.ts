// Lesson 2.4, solved.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupDir, writeCgroupFile } from './cgroupfs.js';
import { ToolError } from './errors.js';

const period = 100_000;

export function parseCpuMax(text: string): string {
  if (text === 'max') return `max ${period}`;
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  const cpus = percent ? Number(percent[1]) / 100 : /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : NaN;
  const quota = Math.round(cpus * period);
  if (!Number.isFinite(cpus) || quota < 1000) throw new ToolError(`"${text}" is not a CPU share (50%, 0.5, 2, max; at least 1%)`, 2);
  return `${quota} ${period}`;
}

export function setCpuMax(name: string, share: string): void {
  const value = parseCpuMax(share);
  try {
    writeCgroupFile(join(cgroupDir(name), 'cpu.max'), value);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ToolError(`${name} has no cpu.max: the cpu controller is not enabled for it`);
    throw error;
  }
}

export function cpuStats(name: string) {
  const dir = cgroupDir(name);
  const stat = Object.fromEntries(readFileSync(join(dir, 'cpu.stat'), 'utf8').trim().split('\n').map((line) => line.split(' ')));
  return {
    max: readFileSync(join(dir, 'cpu.max'), 'utf8').trim(),
    periods: Number(stat.nr_periods ?? 0),
    throttled: Number(stat.nr_throttled ?? 0),
    throttledUsec: Number(stat.throttled_usec ?? 0),
  };
}
