import { CgroupManager } from '../../src/cgroup/index.js';
import { answerEveryQuestion, defineChecker, quizCheck, sameText, type QuizQuestion } from '../../src/verify/index.js';

const lab = 'isolab/side';
const memoryLimit = 64 * 2 ** 20;
const pidsLimit = 16;

const questions: QuizQuestion[] = [
  {
    key: 'other-memory-file',
    title: "the other hierarchy's memory limit file",
    // The file is the one this machine does NOT use: that is the point of the side-by-side.
    truth: async () => (new CgroupManager().version === 'v2' ? 'memory.limit_in_bytes' : 'memory.max'),
    solve: async () => (new CgroupManager().version === 'v2' ? 'memory.limit_in_bytes' : 'memory.max'),
    howToFind: 'Look at the mapping table in the lesson: the memory row, in the column of the hierarchy you do not have.',
  },
  {
    key: 'quota-file',
    title: 'the v1 file with the CPU quota',
    truth: async () => 'cpu.cfs_quota_us',
    solve: async () => 'cpu.cfs_quota_us',
    howToFind: 'v2 writes "quota period" into cpu.max; v1 splits it into two files in the cpu hierarchy (ls /sys/fs/cgroup/cpu on v1).',
  },
  {
    key: 'shares-for-weight-100',
    title: 'v1 cpu.shares for cpu.weight 100',
    truth: async () => '1024',
    solve: async () => '1024',
    matches: (answer, truth) => sameText(answer, truth),
    howToFind: 'The defaults correspond: cpu.weight 100 on v2 is the v1 default of cpu.shares.',
  },
];

function limitsOf(): { memory: number | 'max' | null; pids: number | 'max' | null; version: string } | null {
  const manager = new CgroupManager();
  if (!manager.backend.exists(lab)) return null;
  const stats = manager.stats(lab);
  return { memory: stats.memory?.max ?? null, pids: stats.pids?.max ?? null, version: manager.version };
}

export default defineChecker({
  checks: [
    {
      id: 'limits',
      title: `isolab/side limits memory to 64M and processes to ${pidsLimit}`,
      tag: 'observe',
      async run() {
        const limits = limitsOf();
        if (!limits) return { pass: false, message: `there is no cgroup ${lab}`, hint: 'Create it in your hierarchy: Step 2 shows the commands for v1 and for v2.', observed: {} };
        const file = limits.version === 'v2' ? 'memory.max' : 'memory.limit_in_bytes';
        if (limits.memory !== memoryLimit) return { pass: false, message: `${file} is ${limits.memory}`, hint: `Write ${memoryLimit} (64M) into ${file}.`, observed: limits };
        if (limits.pids !== pidsLimit) return { pass: false, message: `pids.max is ${limits.pids}`, hint: `Write ${pidsLimit} into pids.max.`, observed: limits };
        return { pass: true, message: `${file} = ${memoryLimit}, pids.max = ${pidsLimit} on cgroup ${limits.version}`, observed: limits };
      },
    },
    ...questions.map(quizCheck),
  ],
  async solution(context) {
    // What the lesson has the learner do, with the cgroup-tool on either hierarchy.
    const tool = [`${context.workspace}/dist/cgroup-tool.js`];
    for (const args of [['create', lab], ['set', lab, 'memory.max=64M', `pids.max=${pidsLimit}`]]) {
      const result = await context.exec(process.execPath, [...tool, ...args], { timeoutMs: 20_000 });
      if (result.exitCode !== 0) throw new Error(`cgroup-tool ${args.join(' ')}: ${result.stderr}`);
    }
    await answerEveryQuestion(questions)(context);
  },
  async cleanup() {
    const manager = new CgroupManager();
    if (manager.backend.exists(lab)) await manager.delete(lab, { kill: true });
    if (manager.backend.exists('isolab') && manager.children('isolab').length === 0) await manager.delete('isolab');
  },
});

