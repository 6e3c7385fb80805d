import { useEffect, useState } from 'react';
import type { CgroupReading, CgroupStatsReader } from '../cgroup-stats.js';

/**
 * The lab cgroup, read once a second by `reader` (the CgroupManager by default; tests inject a fake).
 * Undefined until the first read; a read that throws keeps the last reading.
 */
export function useCgroupStats(path: string | undefined, reader: CgroupStatsReader, intervalMs = 1000): CgroupReading | undefined {
  const [reading, setReading] = useState<CgroupReading>();
  useEffect(() => {
    if (!path) return;
    let stopped = false;
    let busy = false;
    const read = async () => {
      if (busy) return;
      busy = true;
      try {
        const next = await reader(path);
        if (!stopped) setReading(next);
      } catch {
        // The panel shows the last reading; the next tick tries again.
      } finally {
        busy = false;
      }
    };
    void read();
    const timer = setInterval(() => void read(), intervalMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [path, reader, intervalMs]);
  return reading;
}
