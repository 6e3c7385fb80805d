// cgroup-tool on this machine's real kernel (the v1 backend on the project's hybrid machines). Needs root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot } from '../../test/helpers/cli.js';
import { cleanUp, labCgroups, prepareRefusals, refusals, scenarios, tool } from '../../test/cgroup-scenarios.js';

describe.skipIf(!isRoot)(`cgroup-tool on the live kernel${isRoot ? '' : ' (skipped: needs root)'}`, () => {
  let before: string[] = [];
  beforeAll(() => {
    before = labCgroups();
  });
  afterAll(() => {
    cleanUp(before);
    // Nothing leaked: the isolab directories at the top of every hierarchy are what they were.
    expect(labCgroups()).toEqual(before);
  });

  for (const scenario of scenarios) {
    const reason = scenario.skip?.();
    it.skipIf(reason !== undefined)(`${scenario.name}${reason ? ` (skipped: ${reason})` : ''}`, { timeout: 60_000 }, () => scenario.run());
  }

  describe('refuses with a message and an exit code', () => {
    beforeAll(prepareRefusals);
    it.each(refusals.map((refusal) => [refusal.name, refusal] as const))('%s', (_, refusal) => {
      const reason = refusal.skip?.();
      if (reason) return;
      const result = typeof refusal.args === 'function' ? refusal.args() : tool(...refusal.args);
      expect(result.stderr).toMatch(refusal.message);
      expect(result.code).toBe(refusal.code);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
