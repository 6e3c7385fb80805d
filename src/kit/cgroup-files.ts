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

/** One line of a nested-keyed control file: `7:0 rbps=max wbps=1048576` of `io.max`. */
export interface NestedKeyedLine {
  key: string;
  values: Record<string, string>;
  /** The line as the file has it, to show. */
  line: string;
}

/** A nested-keyed control file (`io.max`, `io.stat`) as its lines, each with its key and `name=value` pairs; [] if absent. */
export function readCgroupNestedKeyed(context: Pick<CheckContext, 'system'>, name: string, file: string): NestedKeyedLine[] {
  const lines = (readCgroupFile(context, name, file) ?? '').split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.map((line) => {
    const [key, ...pairs] = line.split(/\s+/);
    return { key: key!, values: Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])), line };
  });
}

/**
 * The "some avg10" figure of each pressure file (PSI: `cpu.pressure`, `memory.pressure`, `io.pressure`) the kernel
 * keeps for the cgroup, by resource; a resource without one (PSI off, or not kept here) is left out.
 */
export function readCgroupPressure(context: Pick<CheckContext, 'system'>, name: string): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const resource of ['memory', 'cpu', 'io']) {
    const avg10 = /^some avg10=([\d.]+)/m.exec(readCgroupFile(context, name, `${resource}.pressure`) ?? '')?.[1];
    if (avg10 !== undefined) figures[resource] = Number(avg10);
  }
  return figures;
}

/** The pids in a cgroup (its `cgroup.procs`); undefined when the cgroup is not there. */
export function cgroupPids(context: Pick<CheckContext, 'system'>, name: string): number[] | undefined {
  const text = readCgroupFile(context, name, 'cgroup.procs');
  return text === undefined ? undefined : text.split(/\s+/).filter(Boolean).map(Number);
}
