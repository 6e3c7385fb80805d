import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine } from '../../test/helpers/check-context.js';
import type { LessonMeta } from '../../src/lessons/index.js';
import { runChecks, type CheckResult } from '../../src/verify/index.js';
import checker from './06-io-limits.js';

let machine: ReturnType<typeof fixtureMachine>;
afterEach(() => machine.dispose());

/**
 * The io-max check, as the runner records it, on a v2 machine with /dev/loop0 (7:0) on the lab's disk image, and
 * isolab/io whose io.max reads `ioMax`.
 */
async function ioMaxCheck(ioMax: string): Promise<CheckResult> {
  machine = fixtureMachine({
    '/proc/self/mountinfo': '29 22 0:26 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n',
    '/sys/block/loop0/dev': '7:0\n',
    '/sys/block/loop0/loop/backing_file': '/tmp/isolab-lab/disk.img\n',
    '/sys/fs/cgroup/isolab/io/cgroup.procs': '',
    '/sys/fs/cgroup/isolab/io/io.max': ioMax,
    '/sys/fs/cgroup/isolab/io/io.stat': '7:0 rbytes=0 wbytes=4194304 rios=0 wios=8 dbytes=0 dios=0\n',
  });
  const checks = checker.checks.filter((check) => check.id === 'io-max');
  const [result] = await runChecks({ checks }, { lesson: { short: '2.6', cgroup: 'isolab/io' } as LessonMeta, system: machine.system, answers: {}, workspace: machine.dir });
  return result!;
}

describe('2.6 io-max', () => {
  it('passes with a limit in bytes', async () => {
    expect(await ioMaxCheck('7:0 rbps=max wbps=1048576 riops=max wiops=max\n')).toMatchObject({ status: 'pass' });
  });

  // What `echo "7:0 wbps=4M" > io.max` leaves: the kernel dropped the M (seen on 6.1: io.max then reads wbps=4).
  it('fails on a rate a dropped suffix leaves, and says what the suffix did', async () => {
    const result = await ioMaxCheck('7:0 rbps=max wbps=4 riops=max wiops=max\n');
    expect(result).toMatchObject({ status: 'fail', message: '/sys/fs/cgroup/isolab/io/io.max limits writes to 7:0 to 4 bytes per second' });
    expect(result.hint).toContain('wbps=4M written by hand means 4 bytes/s');
    expect(result.hint).toContain('wbps=1048576');
  });
});
