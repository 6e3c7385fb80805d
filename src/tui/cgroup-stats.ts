import { CgroupManager, normaliseName, type CgroupStats } from '../cgroup/index.js';
import type { SystemRoot } from '../system/index.js';
import { describeError } from './errors.js';

/** What the live cgroup panel has to show: the cgroup's counters, or why there are none. */
export type CgroupReading =
  | { state: 'present'; stats: CgroupStats }
  /** No such cgroup on this machine yet (the lesson has the learner create it). */
  | { state: 'absent' }
  /** No cgroup filesystem, no permission…: the message says which. */
  | { state: 'unreadable'; reason: string };

export type CgroupStatsReader = (path: string) => Promise<CgroupReading>;

/**
 * Reads a cgroup through src/cgroup's CgroupManager, the code behind `cgroup-tool stats`: it chooses the v1
 * hierarchies on a v1 or hybrid machine and the v2 tree otherwise, so the panel and the learner's tool always
 * agree. The manager is made on the first read (it reads the mount table once).
 */
export function cgroupStatsReader(system: SystemRoot): CgroupStatsReader {
  let manager: CgroupManager | undefined;
  return async (path) => {
    try {
      manager ??= new CgroupManager(system);
      if (!manager.backend.exists(normaliseName(path))) return { state: 'absent' };
      return { state: 'present', stats: manager.stats(path) };
    } catch (error) {
      return { state: 'unreadable', reason: describeError(error) };
    }
  };
}
