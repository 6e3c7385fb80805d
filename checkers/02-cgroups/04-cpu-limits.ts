import { countAcrossRun, defineChecker, freshLessonCgroup, mustReportKernelFigure, programCheck, readCgroupCounters, readCgroupFile, removeLessonCgroup, writeSolution } from '../../src/kit/index.js';

const myTool = { entry: 'exercises/my-cgroup-tool/main.ts', name: 'your tool' };
const setCpuMax = 'setCpuMax in exercises/my-cgroup-tool/cpu.ts';

export default defineChecker({
  checks: [
    {
      id: 'cpu-max',
      title: 'cpu-max writes quota and period',
      tag: 'experiment',
      run: programCheck(myTool, async (tool, context) => {
        const lab = await freshLessonCgroup(context);
        for (const [given, expected] of [['20%', '20000 100000'], ['0.5', '50000 100000'], ['2', '200000 100000'], ['max', 'max 100000']] as const) {
          await tool.mustRun(['cpu-max', lab, given], setCpuMax);
          const read = readCgroupFile(context, lab, 'cpu.max');
          if (read !== expected) return { pass: false, message: `cpu-max ${given} made cpu.max read "${read}"`, hint: `${given} of a CPU over a 100000 µs period is "${expected}".`, observed: { given, read } };
        }
        const bad = await tool.run(['cpu-max', lab, 'half']);
        if (bad.exitCode !== 2) return { pass: false, message: `cpu-max half exited ${bad.exitCode}`, hint: 'Refuse what you cannot parse with ToolError(…, 2).', observed: { exitCode: bad.exitCode } };
        return { pass: true, message: '20%, 0.5, 2 and max land in cpu.max as "quota period"; "half" is refused', observed: {} };
      }),
    },
    {
      id: 'throttling',
      title: 'a CPU hog under cpu.max is throttled, and your stats say so',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: programCheck(myTool, async (tool, context) => {
        const lab = await freshLessonCgroup(context);
        const throttled = () => readCgroupCounters(context, lab, 'cpu.stat').nr_throttled ?? 0;
        await tool.mustRun(['cpu-max', lab, '10%'], setCpuMax);
        // A busy loop for 1.5 s: at 10% of a CPU it runs 10 ms of every 100 ms and waits the rest.
        const { before, after } = await countAcrossRun(context, lab, throttled, 'timeout', ['1.5', 'sh', '-c', 'while :; do :; done']);
        if (after <= before) return { pass: false, message: `nr_throttled stayed at ${after}`, hint: 'Is cpu.max below 100% of a CPU? cat it.', observed: { before, after } };
        const cpu = { path: 'cpu.throttled', write: 'cpuStats in exercises/my-cgroup-tool/cpu.ts', counts: 'throttled periods', hint: 'cpuStats reads nr_throttled from cpu.stat.' };
        await mustReportKernelFigure(tool, { args: ['stats', lab], kernel: throttled, ...cpu });
        return { pass: true, message: `the hog was throttled in ${after} periods, and your stats agree`, observed: { before, after } };
      }),
    },
  ],
  solution: async (context) => writeSolution(context, { from: 'checkers/02-cgroups/solutions/my-cgroup-tool', to: 'exercises/my-cgroup-tool', files: ['cpu.ts'] }),
  cleanup: removeLessonCgroup,
});
