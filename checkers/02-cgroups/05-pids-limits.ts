import { countAcrossRun, defineChecker, freshLessonCgroup, mustReportKernelFigure, programCheck, readCgroupCounters, readCgroupFile, removeLessonCgroup, todoLeft, writeSolution } from '../../src/kit/index.js';

const myTool = { entry: 'exercises/my-cgroup-tool/main.ts', name: 'your tool' };
const setPidsMax = 'setPidsMax in exercises/my-cgroup-tool/pids.ts';

export default defineChecker({
  checks: [
    {
      id: 'pids-max',
      title: 'pids-max writes the limit and refuses nonsense',
      tag: 'experiment',
      run: programCheck(myTool, async (tool, context) => {
        const lab = await freshLessonCgroup(context);
        // 0 is a limit the kernel takes (kernel/cgroup/pids.c: only limit < 0 is EINVAL): no new task may start.
        for (const given of ['8', '0', 'max']) {
          const result = await tool.run(['pids-max', lab, given]);
          const zeroRefused = given === '0' && result.exitCode !== 0 && !todoLeft(result);
          if (zeroRefused) return { ...tool.explain(result), hint: 'pids.max 0 is valid: the kernel takes it, and no new task may start in the cgroup. Accept it.', observed: { given } };
          if (result.exitCode !== 0) return { ...tool.explain(result, setPidsMax), observed: { given } };
          const read = readCgroupFile(context, lab, 'pids.max');
          if (read !== given) return { pass: false, message: `pids-max ${given} made pids.max read ${read}`, hint: 'Write the value as it is.', observed: { given, read } };
        }
        for (const bad of ['-3', 'lots']) {
          const result = await tool.run(['pids-max', lab, bad]);
          if (result.exitCode !== 2) return { pass: false, message: `pids-max ${bad} exited ${result.exitCode}`, hint: 'Only a whole number (0 included), or max: refuse the rest with ToolError(…, 2).', observed: { bad } };
        }
        return { pass: true, message: '8, 0 and max are written; -3 and "lots" are refused', observed: {} };
      }),
    },
    {
      id: 'fork-bomb',
      title: 'a bounded fork loop hits pids.max, and the machine stays healthy',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: programCheck(myTool, async (tool, context) => {
        const lab = await freshLessonCgroup(context);
        const refused = () => readCgroupCounters(context, lab, 'pids.events').max ?? 0;
        await tool.mustRun(['pids-max', lab, '8'], setPidsMax);
        // Thirty sleepers, bounded: more than the limit allows, each gone in two seconds.
        const { before, after } = await countAcrossRun(context, lab, refused, 'timeout', ['10', 'sh', '-c', 'for i in $(seq 30); do sleep 2 & done; wait']);
        const healthy = (await context.exec('true')).exitCode === 0;
        if (after <= before) return { pass: false, message: `pids.events max stayed at ${after}`, hint: 'Is pids.max 8? cat it.', observed: { before, after } };
        if (!healthy) return { pass: false, message: 'a process outside the cgroup could not start', hint: 'The limit must be on your lab cgroup, not on a parent.', observed: { healthy } };
        const pids = { path: 'pids.refusedForks', write: 'pidsStats in exercises/my-cgroup-tool/pids.ts', counts: 'refused forks', hint: 'pidsStats reads the max line of pids.events.' };
        await mustReportKernelFigure(tool, { args: ['stats', lab], kernel: refused, ...pids });
        return { pass: true, message: `${after} forks were refused inside ${lab}; outside, processes still start; your stats agree`, observed: { before, after, healthy } };
      }),
    },
  ],
  solution: async (context) => writeSolution(context, { from: 'checkers/02-cgroups/solutions/my-cgroup-tool', to: 'exercises/my-cgroup-tool', files: ['pids.ts'] }),
  cleanup: removeLessonCgroup,
});
