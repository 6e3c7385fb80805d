// The cgroup code lessons' shortcuts run in the v2 lane's self-test; here, without cgroup v2, each is proven to
// write a tool that compiles and differs from the reference in the one function it fakes.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testCheckContext, type TestCheckContext } from '../../../test/helpers/check-context.js';
import { packageRoot } from '../../../src/system/index.js';
import { compileLearnerProgram, type SolutionContext } from '../../../src/verify/index.js';
import { loadChecker } from '../../../src/verify/source-checkers.js';

let context: TestCheckContext;
afterEach(() => context.dispose());

const cases = [
  { lesson: 'cgroups/memory-limits', file: 'memory.ts', fake: 'oomKills: 1 };' },
  { lesson: 'cgroups/cpu-limits', file: 'cpu.ts', fake: 'throttled: 0,' },
  { lesson: 'cgroups/many-limits', file: 'bundle.ts', fake: 'return { memory: 0, cpu: 0, io: 0 };' },
];

describe.each(cases)('the shortcut of $lesson', ({ lesson, file, fake }) => {
  it('is the reference tool with one figure made up, and it compiles', async () => {
    const [shortcut] = (await loadChecker(lesson)).shortcuts ?? [];
    expect(shortcut).toBeDefined();
    context = testCheckContext();
    cpSync(join(packageRoot(), 'exercises/my-cgroup-tool'), join(context.workspace, 'exercises/my-cgroup-tool'), { recursive: true });
    await shortcut!.apply(context as unknown as SolutionContext);
    const faked = readFileSync(join(context.workspace, 'exercises/my-cgroup-tool', file), 'utf8');
    const reference = readFileSync(join(packageRoot(), 'checkers/02-cgroups/solutions/my-cgroup-tool', file), 'utf8');
    expect(faked).toContain(fake);
    expect(faked).not.toBe(reference);
    // Everything but the faked function is the reference's.
    expect(faked.split('\n').filter((line) => !reference.includes(line)).length).toBeLessThanOrEqual(4);
    (await compileLearnerProgram(context.workspace, 'exercises/my-cgroup-tool/main.ts')).dispose();
  });
});
