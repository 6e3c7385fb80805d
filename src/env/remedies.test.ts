import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureNames, loadFixture } from '../../test/helpers/fixtures.js';
import { repoRoot } from '../../test/helpers/cli.js';
import { probeEnvironment, remedyFor, type EnvReport } from './index.js';

/** Requirements whose remedies differ by environment: every branch the fixture machines reach. */
const requirements = ['root', 'cgroup2', 'delegation:memory', 'cgroup1:memory', 'ns:user', 'ns:net', 'tool:ip', 'loop-device', 'btf'];

async function remediesOnEveryFixture(): Promise<string[]> {
  const reports: EnvReport[] = [];
  for (const name of fixtureNames()) reports.push(await probeEnvironment(loadFixture(name).system));
  return reports.flatMap((report) => requirements.map((key) => remedyFor(key, report)));
}

describe('remedies for locked lessons', () => {
  it('point learners to the classroom VM guide, a file in this repository', async () => {
    const remedies = await remediesOnEveryFixture();
    const vm = remedies.filter((remedy) => /classroom VM/.test(remedy));
    expect(vm.length).toBeGreaterThan(0);
    for (const remedy of vm) expect(remedy).toContain('vm/classroom/README.md');
    // Every guide a remedy names exists; vm/README.md is the test lanes' page, not a learner's.
    const guides = new Set(remedies.flatMap((remedy) => remedy.match(/[\w./-]+\.md\b/g) ?? []));
    expect([...guides]).toEqual(['vm/classroom/README.md']);
    for (const guide of guides) expect(existsSync(join(repoRoot, guide)), guide).toBe(true);
  });
});
