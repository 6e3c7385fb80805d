// The lesson self-test on this machine (test/helpers/selftest.ts); the lanes run the same in their kernels.
import { describe, it } from 'vitest';
import { selfTest, selfTestCases, selfTestName } from './helpers/selftest.js';

const cases = await selfTestCases();

describe('lesson self-test', () => {
  for (const testCase of cases) {
    it.skipIf(testCase.skip !== undefined)(selfTestName(testCase), { timeout: 300_000 }, () => selfTest(testCase.lesson));
  }
});
