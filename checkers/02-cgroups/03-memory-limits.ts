import { defineChecker } from '../../src/verify/index.js';
import { explainRun, freshCgroup, keyed, manager, readFile, removeCgroup, removeIfEmpty, runInside, safeJson, withMyTool, writeSolution, writeSolutionFaking } from './lib/my-tool.js';

const lab = 'isolab/my-mem';
const noMemory = 'isolab/my-nomem';

export default defineChecker({
  checks: [
    {
      id: 'memory-max',
      title: 'memory-max writes the size the kernel expects',
      tag: 'experiment',
      run: (context) =>
        withMyTool(context, async (tool) => {
          await freshCgroup(lab);
          for (const [given, expected] of [['50M', '52428800'], ['1.5G', '1610612736'], ['512K', '524288'], ['max', 'max']] as const) {
            const result = await tool.run(['memory-max', lab, given]);
            if (result.exitCode !== 0) return { pass: false, ...explainRun(result, 'memory.ts', 'setMemoryMax'), observed: { given } };
            const read = readFile(lab, 'memory.max');
            if (read !== expected) return { pass: false, message: `memory-max ${given} made memory.max read ${read}`, hint: `${given} is ${expected} bytes: K, M and G are powers of 1024.`, observed: { given, read } };
          }
          const bad = await tool.run(['memory-max', lab, '12Q']);
          if (bad.exitCode !== 2) return { pass: false, message: `memory-max 12Q exited ${bad.exitCode}`, hint: 'A size you cannot parse is bad input: ToolError(…, 2).', observed: { exitCode: bad.exitCode } };
          return { pass: true, message: '50M, 1.5G, 512K and max land in memory.max as the kernel reads them; 12Q is refused', observed: { lastRead: readFile(lab, 'memory.max') } };
        }),
    },
    {
      id: 'missing-controller',
      title: 'a cgroup without the memory controller gets a clear error',
      tag: 'experiment',
      run: (context) =>
        withMyTool(context, async (tool) => {
          // Only pids is enabled for the child, so it has no memory.max.
          await freshCgroup(`${noMemory}/child`, ['pids']);
          const result = await tool.run(['memory-max', `${noMemory}/child`, '50M']);
          const said = result.stderr.trim();
          if (/TODO\(/.test(said)) return { pass: false, ...explainRun(result, 'memory.ts', 'setMemoryMax'), observed: {} };
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
      run: (context) =>
        withMyTool(context, async (tool) => {
          await freshCgroup(lab);
          const limit = await tool.run(['memory-max', lab, '32M']);
          if (limit.exitCode !== 0) return { pass: false, ...explainRun(limit, 'memory.ts', 'setMemoryMax'), observed: {} };
          manager().set(lab, [{ key: 'memory.swap.max', bytes: 0 }]);
          const before = keyed(lab, 'memory.events').oom_kill ?? 0;
          // Asked before the hog too: one kill in a fresh cgroup is 1, a figure a tool could print without reading.
          const statsBefore = await tool.run(['stats', lab]);
          const reportedBefore = (safeJson(statsBefore.stdout)?.memory as { oomKills?: number } | undefined)?.oomKills;
          if (reportedBefore !== before) {
            return { pass: false, message: `before the hog the kernel counts ${before} OOM kills; your stats say ${JSON.stringify(reportedBefore ?? statsBefore.stderr.trim())}`, hint: 'memoryStats reads the oom_kill line of memory.events.', observed: { kernel: before, reported: reportedBefore ?? null } };
          }
          // `tail /dev/zero` reads one endless line: its memory grows until the limit stops it.
          const hog = await runInside(context, lab, 'tail', ['/dev/zero'], 30_000);
          const after = keyed(lab, 'memory.events').oom_kill ?? 0;
          if (after <= before) return { pass: false, message: `oom_kill stayed at ${after} (the hog ended with ${hog.signal ?? hog.exitCode})`, hint: 'Is memory.max really 32M? cat it.', observed: { before, after } };
          const stats = await tool.run(['stats', lab]);
          const reported = safeJson(stats.stdout)?.memory as { oomKills?: number } | undefined;
          if (reported?.oomKills !== after) {
            return { pass: false, message: `the kernel counts ${after} OOM kills; your stats say ${JSON.stringify(reported ?? stats.stderr.trim())}`, hint: 'memoryStats reads the oom_kill line of memory.events.', observed: { kernel: after, reported } };
          }
          return { pass: true, message: `the hog was killed (${hog.signal ?? hog.exitCode}); oom_kill rose ${before} → ${after}, and your stats agree`, observed: { before, after } };
        }),
    },
  ],
  solution: async (context) => writeSolution(context, ['memory.ts']),
  shortcuts: [
    {
      name: 'memoryStats reports one OOM kill, the figure a fresh cgroup shows after one hog, without reading memory.events',
      fails: ['oom'],
      apply: async (context) =>
        writeSolutionFaking(
          context,
          ['memory.ts'],
          'memory.ts',
          'memoryStats',
          "const read = (file: string) => readFileSync(join(cgroupDir(name), file), 'utf8').trim();\n  const max = read('memory.max');\n  return { current: Number(read('memory.current')), max: max === 'max' ? ('max' as const) : Number(max), oomKills: 1 };",
        ),
    },
  ],
  cleanup: async () => {
    await removeCgroup(lab);
    await removeCgroup(noMemory);
    await removeIfEmpty('isolab');
  },
});

