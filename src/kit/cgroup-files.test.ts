import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureSystem } from '../system/index.js';
import { readCgroupCounters, readCgroupFile } from './cgroup-files.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function machine() {
  dir = mkdtempSync(join(tmpdir(), 'isolab-kit-cgfiles-'));
  mkdirSync(join(dir, 'proc/self'), { recursive: true });
  writeFileSync(join(dir, 'proc/self/mountinfo'), '25 21 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n');
  mkdirSync(join(dir, 'sys/fs/cgroup/isolab/my-cpu'), { recursive: true });
  writeFileSync(join(dir, 'sys/fs/cgroup/isolab/my-cpu/cpu.max'), '20000 100000\n');
  writeFileSync(join(dir, 'sys/fs/cgroup/isolab/my-cpu/cpu.stat'), 'usage_usec 120\nnr_throttled 7\n');
  return { system: fixtureSystem(dir) };
}

describe('cgroup control files', () => {
  it('reads a file and a flat-keyed file of a cgroup under the cgroup2 mount', () => {
    const context = machine();
    expect(readCgroupFile(context, 'isolab/my-cpu', 'cpu.max')).toBe('20000 100000');
    expect(readCgroupCounters(context, 'isolab/my-cpu', 'cpu.stat')).toEqual({ usage_usec: 120, nr_throttled: 7 });
    expect(readCgroupFile(context, 'isolab/my-cpu', 'memory.max')).toBeUndefined();
    expect(readCgroupCounters(context, 'isolab/gone', 'cpu.stat')).toEqual({});
  });
});
