import { defineChecker } from '../../src/verify/index.js';
import { explainRun, freshCgroup, keyed, readFile, removeCgroup, removeIfEmpty, runInside, safeJson, withMyTool, writeSolution } from './lib/my-tool.js';

const lab = 'isolab/my-cpu';

export default defineChecker({
  checks: [
    {
      id: 'cpu-max',
      title: 'cpu-max writes quota and period',
      tag: 'experiment',
      run: (context) =>
        withMyTool(context, async (tool) => {
          await freshCgroup(lab);
          for (const [given, expected] of [['20%', '20000 100000'], ['0.5', '50000 100000'], ['2', '200000 100000'], ['max', 'max 100000']] as const) {
            const result = await tool.run(['cpu-max', lab, given]);
            if (result.exitCode !== 0) return { pass: false, ...explainRun(result, 'cpu.ts', 'setCpuMax'), observed: { given } };
            const read = readFile(lab, 'cpu.max');
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
      run: (context) =>
        withMyTool(context, async (tool) => {
          await freshCgroup(lab);
          const limit = await tool.run(['cpu-max', lab, '10%']);
          if (limit.exitCode !== 0) return { pass: false, ...explainRun(limit, 'cpu.ts', 'setCpuMax'), observed: {} };
          const before = keyed(lab, 'cpu.stat').nr_throttled ?? 0;
          // A busy loop for 1.5 s: at 10% of a CPU it runs 10 ms of every 100 ms and waits the rest.
          await runInside(context, lab, 'timeout', ['1.5', 'sh', '-c', 'while :; do :; done'], 20_000);
          const after = keyed(lab, 'cpu.stat').nr_throttled ?? 0;
          if (after <= before) return { pass: false, message: `nr_throttled stayed at ${after}`, hint: 'Is cpu.max below 100% of a CPU? cat it.', observed: { before, after } };
          const stats = await tool.run(['stats', lab]);
          // The last period can still be accounted while stats runs: the learner's figure lies between two reads.
          const latest = keyed(lab, 'cpu.stat').nr_throttled ?? 0;
          const reported = safeJson(stats.stdout)?.cpu as { throttled?: number } | undefined;
          if (reported?.throttled === undefined || reported.throttled < after || reported.throttled > latest) {
            return { pass: false, message: `the kernel counts ${after} throttled periods; your stats say ${JSON.stringify(reported ?? stats.stderr.trim())}`, hint: 'cpuStats reads nr_throttled from cpu.stat.', observed: { kernel: after, reported } };
          }
          return { pass: true, message: `the hog was throttled in ${after} periods, and your stats agree`, observed: { before, after } };
        }),
    },
  ],
  solution: async (context) => writeSolution(context, ['cpu.ts']),
  cleanup: async () => {
    await removeCgroup(lab);
    await removeIfEmpty('isolab');
  },
});
