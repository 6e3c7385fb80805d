import { describe, expect, it } from 'vitest';
import { formatBytes, parseLimit, v2Value } from './values.js';
import { normaliseName } from './names.js';

describe('limit values', () => {
  it.each([
    ['memory.max', '50M', '52428800'],
    ['memory.max', '1.5G', '1610612736'],
    ['memory.max', '512k', '524288'],
    ['memory.max', '64MiB', '67108864'],
    ['memory.max', '1048576', '1048576'],
    ['memory.max', 'max', 'max'],
    ['memory.low', '0', '0'],
    ['memory.swap.max', '0', '0'],
    ['cpu.max', '50%', '50000 100000'],
    ['cpu.max', '0.5', '50000 100000'],
    ['cpu.max', '2', '200000 100000'],
    ['cpu.max', '20000 100000', '20000 100000'],
    ['cpu.max', 'max', 'max 100000'],
    ['cpu.weight', '100', '100'],
    ['pids.max', '20', '20'],
    ['pids.max', 'max', 'max'],
    // The kernel takes 0: no new task may start (kernel/cgroup/pids.c pids_max_write).
    ['pids.max', '0', '0'],
    ['pids.max', '4194304', '4194304'],
    ['io.max', '8:0 wbps=1M riops=100', '8:0 wbps=1048576 riops=100'],
  ])('%s=%s is written as "%s"', (key, value, written) => {
    expect(v2Value(parseLimit(key, value))).toBe(written);
  });

  it.each([
    ['memory.max', '-5M', 'is not a valid value'],
    ['memory.max', '0', 'more than 0'],
    ['memory.max', '12Q', 'a size like 50M'],
    ['memory.max', '99999999T', 'at most'],
    ['cpu.max', '0%', 'more than 0 CPU'],
    ['cpu.max', '0.5%', 'at least 1% of a CPU'],
    ['cpu.max', 'half', 'a share of CPU'],
    ['cpu.max', '500 100000', 'a quota of at least 1000'],
    ['cpu.max', '50000 10', 'a period from 1000'],
    ['cpu.weight', '0', 'from 1 to 10000'],
    ['cpu.weight', '10001', 'from 1 to 10000'],
    ['pids.max', '4194305', 'from 0 to 4194304'],
    ['pids.max', '-1', 'whole number'],
    ['pids.max', '2.5', 'whole number'],
    ['io.max', 'sda wbps=1M', 'major:minor'],
    ['io.max', '8:0', 'at least one of'],
    ['io.max', '8:0 speed=1', 'rbps=, wbps='],
    ['memory.maximum', '1M', 'Limits are:'],
  ])('%s=%s is refused (%s)', (key, value, expected) => {
    try {
      parseLimit(key, value);
      throw new Error('accepted');
    } catch (error) {
      expect((error as { exitCode?: number }).exitCode).toBe(2);
      expect(`${(error as Error).message}\n${(error as { remedy?: string }).remedy}`).toContain(expected);
    }
  });

  it('formats sizes for people', () => {
    expect(formatBytes(52428800)).toBe('50.0 MiB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes('max')).toBe('max');
  });
});

describe('cgroup names', () => {
  it('are paths from the mount root', () => {
    expect(normaliseName('isolab/lab')).toBe('isolab/lab');
    expect(normaliseName('/isolab//lab/')).toBe('isolab/lab');
    expect(normaliseName('/')).toBe('');
  });

  it.each(['../etc', 'isolab/../../x', '/sys/fs/cgroup/isolab', 'a\nb'])('refuse %j', (name) => {
    expect(() => normaliseName(name)).toThrowError();
  });
});
