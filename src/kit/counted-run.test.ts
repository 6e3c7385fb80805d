import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine, testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import { countAcrossRun } from './counted-run.js';

// A fixture's plain directory stands in for the cgroup: the load joins it (writes its pid) and bumps a counter file.
let context: TestCheckContext;
let machine: ReturnType<typeof fixtureMachine>;
afterEach(() => {
  context.dispose();
  machine.dispose();
});

describe('countAcrossRun', () => {
  it('reads the count before and after a load run inside the cgroup', async () => {
    machine = fixtureMachine({
      '/proc/self/mountinfo': '29 22 0:26 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n',
      '/sys/fs/cgroup/isolab/lab/events': '1',
    });
    context = testCheckContext({ system: machine.system });
    const dir = join(machine.dir, 'sys/fs/cgroup/isolab/lab');
    const count = () => Number(readFileSync(join(dir, 'events'), 'utf8'));
    const run = await countAcrossRun(context, 'isolab/lab', count, 'sh', ['-c', `echo 4 > ${dir}/events; echo $$`]);
    expect(run).toMatchObject({ before: 1, after: 4 });
    expect(readFileSync(join(dir, 'cgroup.procs'), 'utf8').trim()).toBe(run.result.stdout.trim());
  });
});
