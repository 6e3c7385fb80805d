import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupV2Reader, formatBytes } from './cgroup-stats.js';

describe('cgroupV2Reader', () => {
  it('reads memory, CPU throttling and pids from the v2 files under <sys>/fs/cgroup', async () => {
    const sys = mkdtempSync(join(tmpdir(), 'isolab-sys-'));
    const dir = join(sys, 'fs/cgroup/isolab/memory-lab');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'memory.current'), '12582912\n');
    writeFileSync(join(dir, 'memory.max'), '67108864\n');
    writeFileSync(join(dir, 'cpu.stat'), 'usage_usec 100\nnr_periods 20\nnr_throttled 3\nthrottled_usec 500\n');
    writeFileSync(join(dir, 'pids.current'), '2\n');
    writeFileSync(join(dir, 'pids.max'), 'max\n');
    expect(await cgroupV2Reader(sys)('isolab/memory-lab')).toEqual({ memoryCurrent: 12582912, memoryMax: 67108864, cpuThrottled: 3, pidsCurrent: 2, pidsMax: 'max' });
  });

  it('gives null for every file that is missing, and for a cgroup that does not exist', async () => {
    const sys = mkdtempSync(join(tmpdir(), 'isolab-sys-'));
    const dir = join(sys, 'fs/cgroup/isolab/cpu-lab');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cpu.stat'), 'usage_usec 100\n');
    expect(await cgroupV2Reader(sys)('/isolab/cpu-lab')).toEqual({ memoryCurrent: null, memoryMax: null, cpuThrottled: null, pidsCurrent: null, pidsMax: null });
    expect((await cgroupV2Reader(sys)('isolab/nothing')).memoryCurrent).toBeNull();
  });

  it('formats bytes in the units memory.max accepts', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(64 * 1024 * 1024)).toBe('64 MiB');
  });
});
