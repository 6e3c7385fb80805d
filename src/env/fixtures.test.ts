import { describe, expect, it } from 'vitest';
import { capabilitiesOf, probeEnvironment, remedyFor } from './index.js';
import { fixtureNames, loadFixture } from '../../test/helpers/fixtures.js';

/**
 * `expected` holds a subset of the report; a few keys hold list checks: `x.include`, `x.exclude`, `x.match`.
 * `why.match` looks in cgroup.delegation.why; `locked.include` is one remedy check or a list of them.
 */
describe.each(fixtureNames())('fixture %s', (name) => {
  it('yields the expected report', async () => {
    const { system, fixture } = loadFixture(name);
    const report = await probeEnvironment(system);
    const capabilities = capabilitiesOf(report);
    const { expected } = fixture;
    const subset = Object.fromEntries(Object.entries(expected).filter(([key]) => !key.includes('.')));
    expect(report).toMatchObject(subset);
    const include = expected['capabilities.include'] as string[] | undefined;
    const exclude = expected['capabilities.exclude'] as string[] | undefined;
    for (const capability of include ?? []) expect(capabilities).toContain(capability);
    for (const capability of exclude ?? []) expect(capabilities).not.toContain(capability);
    const disregarded = expected['disregarded.match'] as string | undefined;
    if (disregarded) expect(report.environment.disregarded.join('\n')).toContain(disregarded);
    const evidence = expected['evidence.match'] as string | undefined;
    if (evidence) expect(report.environment.evidence.join('\n')).toContain(evidence);
    const why = expected['why.match'] as string | undefined;
    if (why) expect(report.cgroup.delegation.why).toContain(why);
    type Locked = { 'lesson-requiring': string; 'reason.match': string };
    const locked = expected['locked.include'] as Locked | Locked[] | undefined;
    for (const lock of [locked ?? []].flat()) expect(remedyFor(lock['lesson-requiring'], report)).toContain(lock['reason.match']);
  });
});
