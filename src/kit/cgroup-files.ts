import { join } from 'node:path';
import { readTrimmed } from '../system/index.js';
import type { CheckContext } from '../verify/index.js';
import { cgroup2Path } from './cgroup2-mount.js';

/** A control file of a cgroup under the cgroup2 mount (`cpu.max` of `isolab/my-cpu`), trimmed; undefined if absent. */
export function readCgroupFile(context: Pick<CheckContext, 'system'>, name: string, file: string): string | undefined {
  return readTrimmed(join(cgroup2Path(context, name).dir, file));
}

/** A flat-keyed control file (`cpu.stat`, `memory.events`, `pids.events`) as numbers by key; {} if absent. */
export function readCgroupCounters(context: Pick<CheckContext, 'system'>, name: string, file: string): Record<string, number> {
  const pairs = (readCgroupFile(context, name, file) ?? '').split('\n').map((line) => line.trim().split(/\s+/));
  return Object.fromEntries(pairs.filter(([key, value]) => key && value !== undefined).map(([key, value]) => [key!, Number(value)]));
}

/** The pids in a cgroup (its `cgroup.procs`); undefined when the cgroup is not there. */
export function cgroupPids(context: Pick<CheckContext, 'system'>, name: string): number[] | undefined {
  const text = readCgroupFile(context, name, 'cgroup.procs');
  return text === undefined ? undefined : text.split(/\s+/).filter(Boolean).map(Number);
}
