import { cgroupMounts, detectCgroupMode, readOwnCgroups } from '../../src/cgroup/index.js';
import { answerEveryQuestion, commandOutput, defineChecker, memoryCgroupLine, quizCheck, readSystemText, sameNumber, sameText, type QuizQuestion } from '../../src/kit/index.js';

const questions: QuizQuestion[] = [
  {
    key: 'own-cgroup',
    title: 'your cgroup',
    async truth(context) {
      const mode = detectCgroupMode(context.system);
      const own = readOwnCgroups(context.system) ?? [];
      const line = mode === 'v2' ? own.find((entry) => entry.hierarchy === 0) : own.find((entry) => entry.controllers.includes('memory'));
      return line?.path ?? '';
    },
    // The path of the line a learner reads: the 0:: line on v2, the memory line on v1 and hybrid (where limits live).
    solve: async (context) => memoryCgroupLine(await commandOutput(context, 'cat', ['/proc/self/cgroup']), detectCgroupMode(context.system) === 'v2')?.split(':').slice(2).join(':') ?? '',
    howToFind: 'Run `cat /proc/self/cgroup`: on v2 take the path of the 0:: line, on v1 or hybrid the path of the memory line.',
  },
  {
    key: 'enabled-controllers',
    title: 'controllers the kernel enables',
    truth: async (context) => String(readSystemText(context, '/proc/cgroups').split('\n').slice(1).filter((row) => row.split(/\s+/)[3] === '1').length),
    solve: async (context) => (await commandOutput(context, 'sh', ['-c', "awk 'NR > 1 && $4 == 1' /proc/cgroups | wc -l"])).trim(),
    matches: sameNumber,
    howToFind: 'Count the rows of `/proc/cgroups` whose last column (enabled) is 1.',
  },
  {
    key: 'memory-directory',
    title: 'where the memory controller lives',
    async truth(context) {
      const mounts = cgroupMounts(context.system);
      const memory = mounts.find((mount) => mount.fsType === 'cgroup' && mount.superOptions.includes('memory'));
      return memory?.mountPoint ?? mounts.find((mount) => mount.fsType === 'cgroup2' && mount.mountPoint === '/sys/fs/cgroup')?.mountPoint ?? '';
    },
    async solve(context) {
      const v1 = await context.exec('findmnt', ['-n', '-t', 'cgroup', '-O', 'memory', '-o', 'TARGET'], { timeoutMs: 5_000 });
      return v1.stdout.trim().split('\n')[0] || (await commandOutput(context, 'findmnt', ['-n', '-t', 'cgroup2', '-o', 'TARGET'])).split('\n')[0]!;
    },
    matches: (answer, truth) => sameText(answer.replace(/\/+$/, ''), truth),
    howToFind: 'Run `findmnt -t cgroup,cgroup2`: on v1 the memory controller has a mount of its own; on v2 everything lives under one mount.',
  },
];

export default defineChecker({ checks: questions.map(quizCheck), solution: answerEveryQuestion(questions) });
