import type { Limit } from './values.js';

export interface MemoryStats {
  current: number | null;
  peak: number | null;
  max: number | 'max' | null;
  /** oom_kill, oom, max, high, low (v2 memory.events); on v1 oom_kill and max (failcnt). */
  events: Record<string, number>;
}

export interface CpuStats {
  usageUsec: number | null;
  periods: number | null;
  throttled: number | null;
  throttledUsec: number | null;
  /** As cpu.max spells it: "20000 100000" or "max 100000". */
  max: string | null;
  weight: number | null;
}

export interface PidsStats {
  current: number | null;
  max: number | 'max' | null;
  events: Record<string, number>;
}

export interface CgroupStats {
  name: string;
  version: 'v1' | 'v2';
  processes: number[];
  memory: MemoryStats | null;
  cpu: CpuStats | null;
  pids: PidsStats | null;
  /** PSI "some avg10" (and "full avg10") per resource, where the kernel has it. */
  pressure: Record<string, { some10: number; full10: number | null }> | null;
}

/** Counters worth watching, read afresh each time (`events`). */
export type EventCounters = Record<string, number>;

/** What differs between cgroup v2 and v1; the manager holds everything they share. */
export interface CgroupBackend {
  readonly version: 'v1' | 'v2';
  /** Controllers a new cgroup gets unless told otherwise. */
  readonly defaultControllers: readonly string[];
  /** Every directory this cgroup name has (v2: one; v1: one per hierarchy). */
  directories(name: string): string[];
  exists(name: string): boolean;
  /** Makes the cgroup and its missing ancestors; returns the directories it made and controllers it could not enable. */
  create(name: string, controllers: readonly string[]): { made: string[]; unavailable: Array<{ controller: string; reason: string }> };
  children(name: string): string[];
  /** Processes directly in this cgroup (not its children). */
  processes(name: string): number[];
  attach(name: string, pid: number): void;
  apply(name: string, limit: Limit): void;
  stats(name: string): CgroupStats;
  counters(name: string): EventCounters;
  /** Files whose change means a counter may have moved (empty: poll). */
  watchFiles(name: string): string[];
  /** Kills every process in the cgroup and its descendants. */
  kill(name: string): Promise<void>;
}
