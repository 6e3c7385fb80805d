// The lesson self-test in the v2 lane: every lesson this kernel can run fails before its solution and passes after.
import { describe, test } from 'node:test';
import { selfTest, selfTestCases, selfTestName } from '../helpers/selftest.js';

const cases = await selfTestCases();

describe('lesson self-test (v2 lane)', () => {
  for (const testCase of cases) {
    test(`v2: ${selfTestName(testCase)}`, { skip: testCase.skip }, () => selfTest(testCase.lesson));
  }
});
