import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine } from '../../test/helpers/check-context.js';
import { cgroupPids, readCgroupCounters, readCgroupFile, readCgroupNestedKeyed, readCgroupPressure } from './cgroup-files.js';

let machine: ReturnType<typeof fixtureMachine>;
afterEach(() => machine.dispose());

describe('cgroup control files', () => {
  it('reads a file and a flat-keyed file of a cgroup under the cgroup2 mount', () => {
    machine = fixtureMachine({
      'proc/self/mountinfo': '25 21 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n',
      'sys/fs/cgroup/isolab/my-cpu/cpu.max': '20000 100000\n',
      'sys/fs/cgroup/isolab/my-cpu/cpu.stat': 'usage_usec 120\nnr_throttled 7\n',
      'sys/fs/cgroup/isolab/my-cpu/cgroup.procs': '412\n977\n',
      'sys/fs/cgroup/isolab/empty/cgroup.procs': '',
    });
    expect(readCgroupFile(machine, 'isolab/my-cpu', 'cpu.max')).toBe('20000 100000');
    expect(readCgroupCounters(machine, 'isolab/my-cpu', 'cpu.stat')).toEqual({ usage_usec: 120, nr_throttled: 7 });
    expect(readCgroupFile(machine, 'isolab/my-cpu', 'memory.max')).toBeUndefined();
    expect(readCgroupCounters(machine, 'isolab/gone', 'cpu.stat')).toEqual({});
    expect([cgroupPids(machine, 'isolab/my-cpu'), cgroupPids(machine, 'isolab/empty'), cgroupPids(machine, 'isolab/gone')]).toEqual([[412, 977], [], undefined]);
  });

  it('reads a nested-keyed file line by line', () => {
    machine = fixtureMachine({
      'proc/self/mountinfo': '25 21 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n',
      'sys/fs/cgroup/isolab/io/io.max': '7:0 rbps=max wbps=1048576\n8:16 riops=100\n',
    });
    expect(readCgroupNestedKeyed(machine, 'isolab/io', 'io.max')).toEqual([
      { key: '7:0', values: { rbps: 'max', wbps: '1048576' }, line: '7:0 rbps=max wbps=1048576' },
      { key: '8:16', values: { riops: '100' }, line: '8:16 riops=100' },
    ]);
    expect(readCgroupNestedKeyed(machine, 'isolab/io', 'io.stat')).toEqual([]);
  });

  it('reads the pressure the kernel keeps, resource by resource', () => {
    machine = fixtureMachine({
      'proc/self/mountinfo': '25 21 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n',
      'sys/fs/cgroup/isolab/box/cpu.pressure': 'some avg10=12.50 avg60=3.10 avg300=0.70 total=912\nfull avg10=1.00 avg60=0.00 avg300=0.00 total=10\n',
      'sys/fs/cgroup/isolab/box/memory.pressure': 'some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n',
    });
    expect(readCgroupPressure(machine, 'isolab/box')).toEqual({ cpu: 12.5, memory: 0 });
  });
});
