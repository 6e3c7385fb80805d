import { describe, expect, it } from 'vitest';
import { lessonIndex } from '../lessons/source-index.js';
import { liveSystem } from '../system/index.js';
import { failCheck } from './check-failed.js';
import { runChecks } from './runner.js';
import { defineChecker } from './types.js';

const options = { lesson: lessonIndex[0]!, system: liveSystem(), answers: {}, workspace: process.cwd() };

describe('failCheck', () => {
  it('ends a check as a failure with its message, hint and evidence, not as an error of the check', async () => {
    const readLearnerFile = (): string => failCheck({ message: 'memory.max is not set', hint: 'Write 50M to it.', observed: { value: 'max' } });
    const checker = defineChecker({
      checks: [
        { id: 'thrown', title: 'fails from a helper', tag: 'observe', run: async () => ({ pass: true, message: readLearnerFile() }) },
        { id: 'next', title: 'still runs', tag: 'observe', run: async () => ({ pass: true, message: 'fine' }) },
      ],
    });
    const [thrown, next] = await runChecks(checker, options);
    expect(thrown).toMatchObject({ status: 'fail', message: 'memory.max is not set', hint: 'Write 50M to it.', observed: { value: 'max' } });
    expect(next).toMatchObject({ status: 'pass' });
  });
});
