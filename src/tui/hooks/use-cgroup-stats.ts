import { useEffect, useState } from 'react';
import type { CgroupStats, CgroupStatsReader } from '../cgroup-stats.js';

/**
 * The lab cgroup's counters, read once a second by `reader` (the v2 files by default; tests inject a fake).
 * Undefined until the first read; a read that throws keeps the last values.
 */
export function useCgroupStats(path: string | undefined, reader: CgroupStatsReader, intervalMs = 1000): CgroupStats | undefined {
  const [stats, setStats] = useState<CgroupStats>();
  useEffect(() => {
    if (!path) return;
    let stopped = false;
    let reading = false;
    const read = async () => {
      if (reading) return;
      reading = true;
      try {
        const next = await reader(path);
        if (!stopped) setStats(next);
      } catch {
        // The panel shows the last values; the next tick tries again.
      } finally {
        reading = false;
      }
    };
    void read();
    const timer = setInterval(() => void read(), intervalMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [path, reader, intervalMs]);
  return stats;
}
