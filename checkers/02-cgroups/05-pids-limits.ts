import { defineChecker } from '../../src/verify/index.js';
import { explainRun, freshCgroup, keyed, readFile, removeCgroup, removeIfEmpty, runInside, safeJson, withMyTool, writeSolution } from './lib/my-tool.js';

const lab = 'isolab/my-pids';

export default defineChecker({
  checks: [
    {
      id: 'pids-max',
      title: 'pids-max writes the limit and refuses nonsense',
      tag: 'experiment',
      run: (context) =>
        withMyTool(context, async (tool) => {
          await freshCgroup(lab);
          // 0 is a limit the kernel takes (kernel/cgroup/pids.c: only limit < 0 is EINVAL): no new task may start.
          for (const given of ['8', '0', 'max']) {
            const result = await tool.run(['pids-max', lab, given]);
            if (result.exitCode !== 0) {
              const explained = explainRun(result, 'pids.ts', 'setPidsMax');
              return { pass: false, ...explained, ...(given === '0' && !/TODO\(/.test(explained.message) ? { hint: 'pids.max 0 is valid: the kernel takes it, and no new task may start in the cgroup. Accept it.' } : {}), observed: { given } };
            }
            if (readFile(lab, 'pids.max') !== given) return { pass: false, message: `pids-max ${given} made pids.max read ${readFile(lab, 'pids.max')}`, hint: 'Write the value as it is.', observed: { given } };
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
      run: (context) =>
        withMyTool(context, async (tool) => {
          await freshCgroup(lab);
          const limit = await tool.run(['pids-max', lab, '8']);
          if (limit.exitCode !== 0) return { pass: false, ...explainRun(limit, 'pids.ts', 'setPidsMax'), observed: {} };
          const before = keyed(lab, 'pids.events').max ?? 0;
          // Thirty sleepers, bounded: more than the limit allows, each gone in two seconds.
          await runInside(context, lab, 'timeout', ['10', 'sh', '-c', 'for i in $(seq 30); do sleep 2 & done; wait'], 20_000);
          const after = keyed(lab, 'pids.events').max ?? 0;
          const healthy = (await context.exec('true')).exitCode === 0;
          if (after <= before) return { pass: false, message: `pids.events max stayed at ${after}`, hint: 'Is pids.max 8? cat it.', observed: { before, after } };
          if (!healthy) return { pass: false, message: 'a process outside the cgroup could not start', hint: 'The limit must be on your lab cgroup, not on a parent.', observed: { healthy } };
          const stats = await tool.run(['stats', lab]);
          const latest = keyed(lab, 'pids.events').max ?? 0;
          const reported = safeJson(stats.stdout)?.pids as { refusedForks?: number } | undefined;
          if (reported?.refusedForks === undefined || reported.refusedForks < after || reported.refusedForks > latest) {
            return { pass: false, message: `the kernel refused ${after} forks; your stats say ${JSON.stringify(reported ?? stats.stderr.trim())}`, hint: 'pidsStats reads the max line of pids.events.', observed: { kernel: after, reported } };
          }
          return { pass: true, message: `${after} forks were refused inside ${lab}; outside, processes still start; your stats agree`, observed: { before, after, healthy } };
        }),
    },
  ],
  solution: async (context) => writeSolution(context, ['pids.ts']),
  cleanup: async () => {
    await removeCgroup(lab);
    await removeIfEmpty('isolab');
  },
});
