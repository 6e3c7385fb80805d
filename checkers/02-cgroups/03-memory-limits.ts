import { countAcrossRun, defineChecker, freshLabCgroup, freshLessonCgroup, labCgroup, labCgroups, mustReportKernelFigure, programCheck, readCgroupCounters, readCgroupFile, removeLabCgroup, removeLessonCgroup, todoLeft, writeSolution, writeSolutionFaking, type CheckContext, type LearnerProgram } from '../../src/kit/index.js';

const myTool = { entry: 'exercises/my-cgroup-tool/main.ts', name: 'your tool' };
const setMemoryMax = 'setMemoryMax in exercises/my-cgroup-tool/memory.ts';
const solution = { from: 'checkers/02-cgroups/solutions/my-cgroup-tool', to: 'exercises/my-cgroup-tool', files: ['memory.ts'] };
/** A second cgroup, beside the lesson's, whose parent enables only pids for it: it has no memory.max. */
const noMemory = (context: CheckContext) => `${labCgroup(context)}-nomem`;

const oomKills = (context: CheckContext) => readCgroupCounters(context, labCgroup(context), 'memory.events').oom_kill ?? 0;

/** Your stats' OOM kills must be the kernel's (the oom_kill line of memory.events). */
const oomKillsAgree = (context: CheckContext, tool: LearnerProgram) =>
  mustReportKernelFigure(tool, {
    args: ['stats', labCgroup(context)],
    path: 'memory.oomKills',
    write: 'memoryStats in exercises/my-cgroup-tool/memory.ts',
    kernel: () => oomKills(context),
    counts: 'OOM kills',
    hint: 'memoryStats reads the oom_kill line of memory.events.',
  });

export default defineChecker({
  checks: [
    {
      id: 'memory-max',
      title: 'memory-max writes the size the kernel expects',
      tag: 'experiment',
      run: programCheck(myTool, async (tool, context) => {
        const lab = await freshLessonCgroup(context);
        for (const [given, expected] of [['50M', '52428800'], ['1.5G', '1610612736'], ['512K', '524288'], ['max', 'max']] as const) {
          await tool.mustRun(['memory-max', lab, given], setMemoryMax);
          const read = readCgroupFile(context, lab, 'memory.max');
          if (read !== expected) return { pass: false, message: `memory-max ${given} made memory.max read ${read}`, hint: `${given} is ${expected} bytes: K, M and G are powers of 1024.`, observed: { given, read } };
        }
        const bad = await tool.run(['memory-max', lab, '12Q']);
        if (bad.exitCode !== 2) return { pass: false, message: `memory-max 12Q exited ${bad.exitCode}`, hint: 'A size you cannot parse is bad input: ToolError(…, 2).', observed: { exitCode: bad.exitCode } };
        return { pass: true, message: '50M, 1.5G, 512K and max land in memory.max as the kernel reads them; 12Q is refused', observed: { lastRead: readCgroupFile(context, lab, 'memory.max') } };
      }),
    },
    {
      id: 'missing-controller',
      title: 'a cgroup without the memory controller gets a clear error',
      tag: 'experiment',
      run: programCheck(myTool, async (tool, context) => {
        const child = `${noMemory(context)}/child`;
        await freshLabCgroup(context, child, ['pids']);
        const result = await tool.run(['memory-max', child, '50M']);
        const said = result.stderr.trim();
        if (todoLeft(result)) return { ...tool.explain(result, setMemoryMax), observed: {} };
        if (result.exitCode !== 3 || !/memory/i.test(said) || /ENOENT|EACCES/.test(said)) {
          return { pass: false, message: `exit ${result.exitCode}: ${said || '(nothing said)'}`, hint: 'Catch ENOENT on memory.max and throw ToolError naming the memory controller (exit 3), not the raw errno.', observed: { exitCode: result.exitCode, said } };
        }
        return { pass: true, message: `refused with: ${said}`, observed: { said } };
      }),
    },
    {
      id: 'oom',
      title: 'a process over the limit is OOM-killed, and your stats count it',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: programCheck(myTool, async (tool, context) => {
        const lab = await freshLessonCgroup(context);
        await tool.mustRun(['memory-max', lab, '32M'], setMemoryMax);
        labCgroups(context).set(lab, [{ key: 'memory.swap.max', bytes: 0 }]);
        // Asked before the hog too: one kill in a fresh cgroup is 1, a figure a tool could print without reading.
        const before = await oomKillsAgree(context, tool);
        // `tail /dev/zero` reads one endless line: its memory grows until the limit stops it.
        const { after, result: hog } = await countAcrossRun(context, lab, () => oomKills(context), 'tail', ['/dev/zero'], 30_000);
        if (after <= before) return { pass: false, message: `oom_kill stayed at ${after} (the hog ended with ${hog.signal ?? hog.exitCode})`, hint: 'Is memory.max really 32M? cat it.', observed: { before, after } };
        await oomKillsAgree(context, tool);
        return { pass: true, message: `the hog was killed (${hog.signal ?? hog.exitCode}); oom_kill rose ${before} → ${after}, and your stats agree`, observed: { before, after } };
      }),
    },
  ],
  solution: async (context) => writeSolution(context, solution),
  shortcuts: [
    {
      name: 'memoryStats reports one OOM kill, the figure a fresh cgroup shows after one hog, without reading memory.events',
      fails: ['oom'],
      apply: async (context) =>
        writeSolutionFaking(context, solution, {
          file: 'memory.ts',
          fn: 'memoryStats',
          body: "const read = (file: string) => readFileSync(join(cgroupDir(name), file), 'utf8').trim();\n  const max = read('memory.max');\n  return { current: Number(read('memory.current')), max: max === 'max' ? ('max' as const) : Number(max), oomKills: 1 };",
        }),
    },
  ],
  cleanup: async (context) => {
    await removeLabCgroup(context, noMemory(context));
    await removeLessonCgroup(context);
  },
});
