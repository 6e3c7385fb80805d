// The same cgroup-tool scenarios as on the v1 host, on a real cgroup v2 kernel: the parity test.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cleanUp, labCgroups, prepareRefusals, refusals, scenarios } from '../../test/cgroup-scenarios.js';
import { tool } from '../../test/cgroup-scenarios.js';

describe('cgroup-tool on cgroup v2', () => {
  let existing: string[] = [];
  before(() => {
    existing = labCgroups();
  });
  after(() => {
    cleanUp(existing);
    assert.deepEqual(labCgroups(), existing);
  });

  for (const scenario of scenarios) {
    const reason = scenario.skip?.();
    test(`v2: ${scenario.name}`, { skip: reason }, () => scenario.run());
  }
  test('v2: the refusals have a cgroup to aim at', () => prepareRefusals());
  for (const refusal of refusals) {
    test(`v2 refuses: ${refusal.name}`, { skip: refusal.skip?.() }, () => {
      const result = typeof refusal.args === 'function' ? refusal.args() : tool(...refusal.args);
      assert.match(result.stderr, refusal.message);
      assert.equal(result.code, refusal.code, result.stderr);
    });
  }
});
