import { cgroup2Path, defineChecker, freshLessonCgroup, labCgroups, parseJsonObject, programCheck, readCgroupFile, readCgroupPressure, removeLessonCgroup, runInCgroup, todoLeft, waitUntil, writeSolution, writeSolutionFaking } from '../../src/kit/index.js';

const myTool = { entry: 'exercises/my-cgroup-tool/main.ts', name: 'your tool' };
const applyBundle = 'applyBundle in exercises/my-cgroup-tool/bundle.ts';
// 2.7 builds on 2.3–2.5: a learner arriving here has written them, so the reference does too.
const solution = { from: 'checkers/02-cgroups/solutions/my-cgroup-tool', to: 'exercises/my-cgroup-tool', files: ['memory.ts', 'cpu.ts', 'pids.ts', 'bundle.ts'] };
/**
 * The throttled busy loop of the pressure check runs until the check has read the kernel's figures after the
 * learner's stats (then it is killed), at most this long: while it runs the averages only rise, so a right figure
 * lies between the two reads.
 */
const loopSeconds = 30;
/**
 * How long to wait for cpu.pressure to show stall time. A throttled task is runnable but not on a CPU: psi counts
 * that as CPU "some" stall (kernel/sched/psi.c, SOME when NR_RUNNING > NR_ONCPU; cpu.max throttling since v5.13),
 * and folds the averages every two seconds (PSI_FREQ), so the first figure appears after about two seconds.
 */
const pressureWaitMs = 8_000;

export default defineChecker({
  checks: [
    {
      id: 'bundle',
      title: 'bundle applies several limits at once',
      tag: 'experiment',
      run: programCheck(myTool, async (tool, context) => {
        const lab = await freshLessonCgroup(context);
        await tool.mustRun(['bundle', lab, 'memory.max=64M', 'cpu.max=50%', 'pids.max=20'], applyBundle);
        const read = { memory: readCgroupFile(context, lab, 'memory.max'), cpu: readCgroupFile(context, lab, 'cpu.max'), pids: readCgroupFile(context, lab, 'pids.max') };
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
      run: programCheck(myTool, async (tool, context) => {
        const lab = await freshLessonCgroup(context);
        const result = await tool.run(['bundle', lab, 'memory.max=32M', 'pids.max=lots']);
        const memory = readCgroupFile(context, lab, 'memory.max');
        if (todoLeft(result)) return { ...tool.explain(result, applyBundle), observed: {} };
        if (result.exitCode !== 2 || memory !== 'max') {
          return { pass: false, message: `exit ${result.exitCode}, and memory.max reads ${memory}`, hint: 'Check every assignment before writing any; a bad one is ToolError(…, 2).', observed: { exitCode: result.exitCode, memory } };
        }
        return { pass: true, message: 'refused (exit 2), and memory.max is untouched', observed: { memory } };
      }),
    },
    {
      id: 'pressure',
      title: 'stats report the pressure (PSI) the kernel shows for a throttled busy loop',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: programCheck(myTool, async (tool, context) => {
        const lab = await freshLessonCgroup(context);
        await tool.mustRun(['bundle', lab, 'cpu.max=10%'], applyBundle);
        const kept = readCgroupPressure(context, lab);
        const loop = runInCgroup(context, cgroup2Path(context, lab).dir, 'timeout', [String(loopSeconds), 'sh', '-c', 'while :; do :; done'], (loopSeconds + 5) * 1000);
        try {
          // Figures of 0 everywhere would match a tool that reads nothing: the check compares only once the
          // kernel shows CPU pressure for the throttled loop.
          if ('cpu' in kept) await waitUntil(context, () => (readCgroupPressure(context, lab).cpu ?? 0) > 0, pressureWaitMs);
          const before = readCgroupPressure(context, lab);
          const stats = await tool.mustRun(['stats', lab], 'pressureStats in exercises/my-cgroup-tool/bundle.ts');
          const after = readCgroupPressure(context, lab);
          const reported = parseJsonObject(stats.stdout)?.pressure as Record<string, unknown> | undefined;
          const observed = { reported: reported ?? null, kernelBefore: before, kernelAfter: after };
          if ('cpu' in before && before.cpu === 0 && after.cpu === 0) {
            return { pass: false, message: `the kernel showed no CPU pressure for a busy loop throttled to 10% within ${pressureWaitMs / 1000} s, so there is nothing to compare your figures with`, observed, hint: 'cat the cgroup\'s cpu.pressure while a busy loop runs in it: is PSI switched off (psi=0 on the kernel command line)?' };
          }
          // avg10 changes every two seconds (PSI_FREQ) and only rises while the loop runs: a right figure lies between.
          const between = (resource: string, value: unknown) => typeof value === 'number' && value >= Math.min(before[resource]!, after[resource]!) - 0.01 && value <= Math.max(before[resource]!, after[resource]!) + 0.01;
          if (!reported || !Object.keys(before).every((resource) => between(resource, reported[resource]))) {
            return {
              pass: false,
              message: `stats.pressure is ${JSON.stringify(reported)}; the kernel's "some avg10" read ${JSON.stringify(before)} before and ${JSON.stringify(after)} after`,
              hint: 'pressureStats reads "some avg10=" from each *.pressure file of the cgroup, as a number.',
              observed,
            };
          }
          return { pass: true, message: `pressure ${JSON.stringify(reported)}, as the kernel shows it (cpu ${before.cpu ?? '-'} → ${after.cpu ?? '-'})`, observed };
        } finally {
          await labCgroups(context).kill(lab);
          await loop;
        }
      }),
    },
  ],
  solution: async (context) => writeSolution(context, solution),
  shortcuts: [
    {
      name: 'pressureStats reports zeros instead of reading the *.pressure files',
      fails: ['pressure'],
      apply: async (context) => writeSolutionFaking(context, solution, { file: 'bundle.ts', fn: 'pressureStats', body: 'return { memory: 0, cpu: 0, io: 0 };' }),
    },
  ],
  cleanup: removeLessonCgroup,
});
