// The lesson self-test in the v2 lane: every lesson this kernel can run fails before its solution and passes after.
import { describe, test } from 'node:test';
import { selfTest, selfTestCases, selfTestName } from '../helpers/selftest.js';

const cases = await selfTestCases();

// Every v2 lane runs this file on its own kernel (v2, v2-trixie, v2-sid): the names say which.
const lane = process.env.ISOLAB_LANE ?? 'v2';

describe(`lesson self-test (${lane} lane)`, () => {
  for (const testCase of cases) {
    test(`${lane}: ${selfTestName(testCase)}`, { skip: testCase.skip }, () => selfTest(testCase.lesson));
  }
});
