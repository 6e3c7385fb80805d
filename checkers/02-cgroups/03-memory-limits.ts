import { countAcrossRun, defineChecker, freshLabCgroup, freshLessonCgroup, labCgroup, labCgroups, mustRefuseEach, mustReportKernelFigure, mustSetEach, programCheck, readCgroupCounters, readCgroupFile, removeLabCgroup, removeLessonCgroup, todoLeft, writeSolution, writeSolutionFaking, type CheckContext, type LearnerProgram } from '../../src/kit/index.js';

const myTool = { entry: 'exercises/my-cgroup-tool/main.ts', name: 'your tool' };
const memoryMax = { command: 'memory-max', file: 'memory.max', write: 'setMemoryMax in exercises/my-cgroup-tool/memory.ts' };
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

async function sizes(tool: LearnerProgram, context: CheckContext) {
  const lab = await freshLessonCgroup(context);
  const given = [['50M', '52428800'], ['1.5G', '1610612736'], ['512K', '524288'], ['max', 'max']] as const;
  await mustSetEach(context, tool, lab, memoryMax, given, (size, bytes) => `${size} is ${bytes} bytes: K, M and G are powers of 1024.`);
  await mustRefuseEach(tool, lab, memoryMax, ['12Q'], 'A size you cannot parse is bad input: ToolError(…, 2).');
  return { pass: true, message: '50M, 1.5G, 512K and max land in memory.max as the kernel reads them; 12Q is refused', observed: { lastRead: readCgroupFile(context, lab, 'memory.max') } };
}

async function missingController(tool: LearnerProgram, context: CheckContext) {
  const child = `${noMemory(context)}/child`;
  await freshLabCgroup(context, child, ['pids']);
  const result = await tool.run(['memory-max', child, '50M']);
  const said = result.stderr.trim();
  if (todoLeft(result)) return { ...tool.explain(result, memoryMax.write), observed: {} };
  if (result.exitCode !== 3 || !/memory/i.test(said) || /ENOENT|EACCES/.test(said)) {
    return { pass: false, message: `exit ${result.exitCode}: ${said || '(nothing said)'}`, hint: 'Catch ENOENT on memory.max and throw ToolError naming the memory controller (exit 3), not the raw errno.', observed: { exitCode: result.exitCode, said } };
  }
  return { pass: true, message: `refused with: ${said}`, observed: { said } };
}

async function oom(tool: LearnerProgram, context: CheckContext) {
  const lab = await freshLessonCgroup(context);
  await tool.mustRun(['memory-max', lab, '32M'], memoryMax.write);
  labCgroups(context).set(lab, [{ key: 'memory.swap.max', bytes: 0 }]);
  // Asked before the hog too: one kill in a fresh cgroup is 1, a figure a tool could print without reading.
  const before = await oomKillsAgree(context, tool);
  // `tail /dev/zero` reads one endless line: its memory grows until the limit stops it.
  const { after, result: hog } = await countAcrossRun(context, lab, () => oomKills(context), 'tail', ['/dev/zero'], 30_000);
  if (after <= before) return { pass: false, message: `oom_kill stayed at ${after} (the hog ended with ${hog.signal ?? hog.exitCode})`, hint: 'Is memory.max really 32M? cat it.', observed: { before, after } };
  await oomKillsAgree(context, tool);
  return { pass: true, message: `the hog was killed (${hog.signal ?? hog.exitCode}); oom_kill rose ${before} → ${after}, and your stats agree`, observed: { before, after } };
}

export default defineChecker({
  checks: [
    { id: 'memory-max', title: 'memory-max writes the size the kernel expects', tag: 'experiment', run: programCheck(myTool, sizes) },
    { id: 'missing-controller', title: 'a cgroup without the memory controller gets a clear error', tag: 'experiment', run: programCheck(myTool, missingController) },
    { id: 'oom', title: 'a process over the limit is OOM-killed, and your stats count it', tag: 'experiment', timeoutMs: 60_000, run: programCheck(myTool, oom) },
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
