import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineChecker } from '../../src/verify/index.js';
import { dirOf, explainRun, freshCgroup, readFile, removeCgroup, removeIfEmpty, runInside, safeJson, withMyTool, writeSolution } from './lib/my-tool.js';

const lab = 'isolab/my-box';

export default defineChecker({
  checks: [
    {
      id: 'bundle',
      title: 'bundle applies several limits at once',
      tag: 'experiment',
      run: (context) =>
        withMyTool(context, async (tool) => {
          await freshCgroup(lab);
          const result = await tool.run(['bundle', lab, 'memory.max=64M', 'cpu.max=50%', 'pids.max=20']);
          if (result.exitCode !== 0) return { pass: false, ...explainRun(result, 'bundle.ts', 'applyBundle'), observed: {} };
          const read = { memory: readFile(lab, 'memory.max'), cpu: readFile(lab, 'cpu.max'), pids: readFile(lab, 'pids.max') };
          if (read.memory !== '67108864' || read.cpu !== '50000 100000' || read.pids !== '20') {
            return { pass: false, message: `the kernel reads ${JSON.stringify(read)}`, hint: 'Apply each key=value with the function of its lesson (setMemoryMax, setCpuMax, setPidsMax).', observed: read };
          }
          return { pass: true, message: 'memory.max, cpu.max and pids.max are set', observed: read };
        }),
    },
    {
      id: 'all-or-nothing',
      title: 'a bundle with a typo changes nothing',
      tag: 'experiment',
      run: (context) =>
        withMyTool(context, async (tool) => {
          await freshCgroup(lab);
          const result = await tool.run(['bundle', lab, 'memory.max=32M', 'pids.max=lots']);
          const memory = readFile(lab, 'memory.max');
          if (/TODO\(/.test(result.stderr)) return { pass: false, ...explainRun(result, 'bundle.ts', 'applyBundle'), observed: {} };
          if (result.exitCode !== 2 || memory !== 'max') {
            return { pass: false, message: `exit ${result.exitCode}, and memory.max reads ${memory}`, hint: 'Check every assignment before writing any; a bad one is ToolError(…, 2).', observed: { exitCode: result.exitCode, memory } };
          }
          return { pass: true, message: 'refused (exit 2), and memory.max is untouched', observed: { memory } };
        }),
    },
    {
      id: 'pressure',
      title: 'stats show pressure (PSI) where the kernel keeps it',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) =>
        withMyTool(context, async (tool) => {
          await freshCgroup(lab);
          await tool.run(['bundle', lab, 'cpu.max=10%']);
          await runInside(context, lab, 'timeout', ['1', 'sh', '-c', 'while :; do :; done'], 20_000);
          const stats = await tool.run(['stats', lab]);
          if (/TODO\(/.test(stats.stderr)) return { pass: false, ...explainRun(stats, 'bundle.ts', 'pressureStats'), observed: {} };
          const reported = safeJson(stats.stdout)?.pressure as Record<string, number> | undefined;
          const kernelHas = ['memory', 'cpu', 'io'].filter((resource) => existsSync(join(dirOf(lab), `${resource}.pressure`)));
          const missing = kernelHas.filter((resource) => typeof reported?.[resource] !== 'number');
          if (!reported || missing.length > 0) {
            return { pass: false, message: `stats.pressure is ${JSON.stringify(reported)}; the kernel has ${kernelHas.join(', ')}.pressure`, hint: 'pressureStats reads "some avg10=" from each *.pressure file.', observed: { reported, kernelHas } };
          }
          return { pass: true, message: `pressure: ${JSON.stringify(reported)}`, observed: { reported } };
        }),
    },
  ],
  // 2.7 builds on 2.3–2.5: a learner arriving here has written them, so the reference does too.
  solution: async (context) => writeSolution(context, ['memory.ts', 'cpu.ts', 'pids.ts', 'bundle.ts']),
  cleanup: async () => {
    await removeCgroup(lab);
    await removeIfEmpty('isolab');
  },
});
