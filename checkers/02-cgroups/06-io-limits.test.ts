import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine, testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import { CheckFailed, type CheckOutcome } from '../../src/verify/index.js';
import checker from './06-io-limits.js';

let machine: ReturnType<typeof fixtureMachine>;
let context: TestCheckContext;
afterEach(() => {
  context.dispose();
  machine.dispose();
});

/** A v2 machine with /dev/loop0 (7:0) on the lab's disk image, and isolab/io whose io.max reads `ioMax`. */
function machineWith(ioMax: string): TestCheckContext {
  machine = fixtureMachine({
    '/proc/self/mountinfo': '29 22 0:26 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n',
    '/sys/block/loop0/dev': '7:0\n',
    '/sys/block/loop0/loop/backing_file': '/tmp/isolab-lab/disk.img\n',
    '/sys/fs/cgroup/isolab/io/cgroup.procs': '',
    '/sys/fs/cgroup/isolab/io/io.max': ioMax,
    '/sys/fs/cgroup/isolab/io/io.stat': '7:0 rbytes=0 wbytes=4194304 rios=0 wios=8 dbytes=0 dios=0\n',
  });
  context = testCheckContext({ system: machine.system, lesson: { cgroup: 'isolab/io' } });
  return context;
}
const ioMaxCheck = checker.checks.find((check) => check.id === 'io-max')!;

/** The outcome as the runner records it: a check ended by failCheck is a failed outcome. */
async function outcomeOf(run: Promise<CheckOutcome>): Promise<CheckOutcome> {
  try {
    return await run;
  } catch (error) {
    if (error instanceof CheckFailed) return error.outcome;
    throw error;
  }
}

describe('2.6 io-max', () => {
  it('passes with a limit in bytes', async () => {
    expect(await ioMaxCheck.run(machineWith('7:0 rbps=max wbps=1048576 riops=max wiops=max\n'))).toMatchObject({ pass: true });
  });

  // What `echo "7:0 wbps=4M" > io.max` leaves: the kernel dropped the M (seen on 6.1: io.max then reads wbps=4).
  it('fails on a rate a dropped suffix leaves, and says what the suffix did', async () => {
    const outcome = await outcomeOf(ioMaxCheck.run(machineWith('7:0 rbps=max wbps=4 riops=max wiops=max\n')));
    expect(outcome).toMatchObject({ pass: false, message: '/sys/fs/cgroup/isolab/io/io.max limits writes to 7:0 to 4 bytes per second' });
    expect(outcome.hint).toContain('wbps=4M written by hand means 4 bytes/s');
    expect(outcome.hint).toContain('wbps=1048576');
  });
});
