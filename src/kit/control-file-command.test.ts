import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine, testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import { CheckFailed, type CheckOutcome } from '../verify/index.js';
import { mustRefuseEach, mustSetEach } from './control-file-command.js';
import { withLearnerProgram } from './learner-program.js';

let context: TestCheckContext;
let machine: ReturnType<typeof fixtureMachine>;
afterEach(() => {
  context.dispose();
  machine.dispose();
});

// A program that writes its value, doubled when it is a number, into `<dir>/<cgroup>/limit.max`; it refuses "bad" with exit 2.
const source = `import { writeFileSync } from 'node:fs';
const [, cgroup, value] = process.argv.slice(2);
if (value === 'bad') process.exit(2);
writeFileSync(process.env.LIMIT_DIR + '/' + cgroup + '/limit.max', /^\\d+$/.test(value!) ? String(2 * Number(value)) : value!);
`;
const limit = { command: 'limit', file: 'limit.max', write: 'setLimit' };

async function checkWith(check: Parameters<typeof withLearnerProgram>[2]): Promise<CheckOutcome> {
  machine = fixtureMachine({ 'proc/self/mountinfo': '25 21 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n', 'sys/fs/cgroup/isolab/box/limit.max': 'max\n' });
  context = testCheckContext({ system: machine.system });
  mkdirSync(join(context.workspace, 'exercises/limit'), { recursive: true });
  writeFileSync(join(context.workspace, 'exercises/limit/main.ts'), source);
  process.env.LIMIT_DIR = join(machine.dir, 'sys/fs/cgroup');
  try {
    return await withLearnerProgram(context, 'exercises/limit/main.ts', check);
  } catch (error) {
    if (error instanceof CheckFailed) return error.outcome;
    throw error;
  } finally {
    delete process.env.LIMIT_DIR;
  }
}

describe('a command that writes a control file', () => {
  it('passes when the file reads what each value should give', async () => {
    const outcome = await checkWith(async (program) => {
      await mustSetEach(context, program, 'isolab/box', limit, [['4', '8'], ['max', 'max']], () => 'numbers double');
      await mustRefuseEach(program, 'isolab/box', limit, ['bad'], 'refuse it');
      return { pass: true, message: 'ok' };
    });
    expect(outcome).toEqual({ pass: true, message: 'ok' });
  });

  it('fails on the first value the file does not read as expected, with the hint for it', async () => {
    const outcome = await checkWith(async (program) => {
      await mustSetEach(context, program, 'isolab/box', limit, [['4', '8'], ['5', '5']], (given, expected) => `${given} should read ${expected}`);
      return { pass: true, message: 'not reached' };
    });
    expect(outcome).toEqual({ pass: false, message: 'limit 5 made limit.max read "10"', hint: '5 should read 5', observed: { given: '5', read: '10' } });
  });

  it('fails when a bad value is not refused as bad input', async () => {
    const outcome = await checkWith(async (program) => {
      await mustRefuseEach(program, 'isolab/box', limit, ['7'], 'refuse it');
      return { pass: true, message: 'not reached' };
    });
    expect(outcome).toMatchObject({ pass: false, message: 'limit 7 exited 0', hint: 'refuse it' });
  });
});
