import { countAcrossRun, defineChecker, freshLessonCgroup, mustRefuseEach, mustReportKernelFigure, mustSetEach, programCheck, readCgroupCounters, removeLessonCgroup, todoLeft, writeSolution, type CheckContext, type LearnerProgram } from '../../src/kit/index.js';

const myTool = { entry: 'exercises/my-cgroup-tool/main.ts', name: 'your tool' };
const pidsMax = { command: 'pids-max', file: 'pids.max', write: 'setPidsMax in exercises/my-cgroup-tool/pids.ts' };

async function limits(tool: LearnerProgram, context: CheckContext) {
  const lab = await freshLessonCgroup(context);
  // 0 is a limit the kernel takes (kernel/cgroup/pids.c: only limit < 0 is EINVAL): no new task may start.
  const zero = await tool.run(['pids-max', lab, '0']);
  if (zero.exitCode !== 0 && !todoLeft(zero)) return { ...tool.explain(zero), hint: 'pids.max 0 is valid: the kernel takes it, and no new task may start in the cgroup. Accept it.', observed: { given: '0' } };
  await mustSetEach(context, tool, lab, pidsMax, [['8', '8'], ['0', '0'], ['max', 'max']], () => 'Write the value as it is.');
  await mustRefuseEach(tool, lab, pidsMax, ['-3', 'lots'], 'Only a whole number (0 included), or max: refuse the rest with ToolError(…, 2).');
  return { pass: true, message: '8, 0 and max are written; -3 and "lots" are refused', observed: {} };
}

/** Thirty sleepers, bounded: more than the limit allows, each gone in two seconds. */
async function forkBomb(tool: LearnerProgram, context: CheckContext) {
  const lab = await freshLessonCgroup(context);
  const refused = () => readCgroupCounters(context, lab, 'pids.events').max ?? 0;
  await tool.mustRun(['pids-max', lab, '8'], pidsMax.write);
  const { before, after } = await countAcrossRun(context, lab, refused, 'timeout', ['10', 'sh', '-c', 'for i in $(seq 30); do sleep 2 & done; wait']);
  const healthy = (await context.exec('true')).exitCode === 0;
  if (after <= before) return { pass: false, message: `pids.events max stayed at ${after}`, hint: 'Is pids.max 8? cat it.', observed: { before, after } };
  if (!healthy) return { pass: false, message: 'a process outside the cgroup could not start', hint: 'The limit must be on your lab cgroup, not on a parent.', observed: { healthy } };
  const pidsStats = { path: 'pids.refusedForks', write: 'pidsStats in exercises/my-cgroup-tool/pids.ts', counts: 'refused forks', hint: 'pidsStats reads the max line of pids.events.' };
  await mustReportKernelFigure(tool, { args: ['stats', lab], kernel: refused, ...pidsStats });
  return { pass: true, message: `${after} forks were refused inside ${lab}; outside, processes still start; your stats agree`, observed: { before, after, healthy } };
}

export default defineChecker({
  checks: [
    { id: 'pids-max', title: 'pids-max writes the limit and refuses nonsense', tag: 'experiment', run: programCheck(myTool, limits) },
    { id: 'fork-bomb', title: 'a bounded fork loop hits pids.max, and the machine stays healthy', tag: 'experiment', timeoutMs: 60_000, run: programCheck(myTool, forkBomb) },
  ],
  solution: async (context) => writeSolution(context, { from: 'checkers/02-cgroups/solutions/my-cgroup-tool', to: 'exercises/my-cgroup-tool', files: ['pids.ts'] }),
  cleanup: removeLessonCgroup,
});
