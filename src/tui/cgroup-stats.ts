import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the live cgroup panel shows. `null`: the file is missing (no such cgroup yet, or the controller is off). */
export interface CgroupStats {
  memoryCurrent: number | null;
  memoryMax: number | 'max' | null;
  cpuThrottled: number | null;
  pidsCurrent: number | null;
  pidsMax: number | 'max' | null;
}

export type CgroupStatsReader = (path: string) => Promise<CgroupStats>;

export const noCgroupStats: CgroupStats = { memoryCurrent: null, memoryMax: null, cpuThrottled: null, pidsCurrent: null, pidsMax: null };

/**
 * Reads a v2 cgroup's files under `<sys>/fs/cgroup/<path>` (Documentation/admin-guide/cgroup-v2.rst):
 * memory.current and pids.current are a number, memory.max and pids.max a number or "max", and cpu.stat's
 * nr_throttled counts the periods the group was throttled. Any file may be missing; that value is null.
 */
export function cgroupV2Reader(sys: string): CgroupStatsReader {
  return async (path) => {
    const dir = join(sys, 'fs/cgroup', path.replace(/^\/+/, ''));
    const read = (file: string) => readFile(join(dir, file), 'utf8').then((text) => text.trim(), () => null);
    const [memoryCurrent, memoryMax, cpuStat, pidsCurrent, pidsMax] = await Promise.all([
      read('memory.current'),
      read('memory.max'),
      read('cpu.stat'),
      read('pids.current'),
      read('pids.max'),
    ]);
    return {
      memoryCurrent: parseCount(memoryCurrent),
      memoryMax: parseLimit(memoryMax),
      cpuThrottled: parseCount(/^nr_throttled (\d+)$/m.exec(cpuStat ?? '')?.[1] ?? null),
      pidsCurrent: parseCount(pidsCurrent),
      pidsMax: parseLimit(pidsMax),
    };
  };
}

function parseCount(text: string | null): number | null {
  if (text === null || !/^\d+$/.test(text)) return null;
  return Number(text);
}

function parseLimit(text: string | null): number | 'max' | null {
  return text === 'max' ? 'max' : parseCount(text);
}

/** 1536 → "1.5 KiB": the units `memory.max` accepts, so a learner can write the number back. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
