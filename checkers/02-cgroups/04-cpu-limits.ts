import { countAcrossRun, defineChecker, freshLessonCgroup, mustRefuseEach, mustReportKernelFigure, mustSetEach, programCheck, readCgroupCounters, removeLessonCgroup, writeSolution, writeSolutionFaking, type CheckContext, type LearnerProgram } from '../../src/kit/index.js';

const myTool = { entry: 'exercises/my-cgroup-tool/main.ts', name: 'your tool' };
const cpuMax = { command: 'cpu-max', file: 'cpu.max', write: 'setCpuMax in exercises/my-cgroup-tool/cpu.ts' };
const solution = { from: 'checkers/02-cgroups/solutions/my-cgroup-tool', to: 'exercises/my-cgroup-tool', files: ['cpu.ts'] };

async function shares(tool: LearnerProgram, context: CheckContext) {
  const lab = await freshLessonCgroup(context);
  const given = [['20%', '20000 100000'], ['0.5', '50000 100000'], ['2', '200000 100000'], ['max', 'max 100000']] as const;
  await mustSetEach(context, tool, lab, cpuMax, given, (share, line) => `${share} of a CPU over a 100000 µs period is "${line}".`);
  await mustRefuseEach(tool, lab, cpuMax, ['half'], 'Refuse what you cannot parse with ToolError(…, 2).');
  return { pass: true, message: '20%, 0.5, 2 and max land in cpu.max as "quota period"; "half" is refused', observed: {} };
}

/** At 10% of a CPU a busy loop runs 10 ms of every 100 ms and waits the rest: each wait is a throttled period. */
async function throttling(tool: LearnerProgram, context: CheckContext) {
  const lab = await freshLessonCgroup(context);
  await tool.mustRun(['cpu-max', lab, '10%'], cpuMax.write);
  const throttled = () => readCgroupCounters(context, lab, 'cpu.stat').nr_throttled ?? 0;
  const { before, after } = await countAcrossRun(context, lab, throttled, 'timeout', ['1.5', 'sh', '-c', 'while :; do :; done']);
  if (after <= before) return { pass: false, message: `nr_throttled stayed at ${after}`, hint: 'Is cpu.max below 100% of a CPU? cat it.', observed: { before, after } };
  const cpuStats = { path: 'cpu.throttled', write: 'cpuStats in exercises/my-cgroup-tool/cpu.ts', counts: 'throttled periods', hint: 'cpuStats reads nr_throttled from cpu.stat.' };
  await mustReportKernelFigure(tool, { args: ['stats', lab], kernel: throttled, ...cpuStats });
  return { pass: true, message: `the hog was throttled in ${after} periods, and your stats agree`, observed: { before, after } };
}

export default defineChecker({
  checks: [
    { id: 'cpu-max', title: 'cpu-max writes quota and period', tag: 'experiment', run: programCheck(myTool, shares) },
    { id: 'throttling', title: 'a CPU hog under cpu.max is throttled, and your stats say so', tag: 'experiment', timeoutMs: 60_000, run: programCheck(myTool, throttling) },
  ],
  shortcuts: [
    {
      name: 'cpuStats reports no throttling without reading cpu.stat',
      fails: ['throttling'],
      apply: async (context) => writeSolutionFaking(context, solution, { file: 'cpu.ts', fn: 'cpuStats', body: "return { max: 'max', periods: 0, throttled: 0, throttledUsec: 0 };" }),
    },
  ],
  solution: async (context) => writeSolution(context, solution),
  cleanup: removeLessonCgroup,
});
