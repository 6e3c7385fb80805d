import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { detectCgroupMode } from '../../src/env/index.js';
import { answerEveryQuestion, defineChecker, quizCheck, sameText, type CheckContext, type QuizQuestion } from '../../src/verify/index.js';

const readTrimmed = async (path: string) => (await readFile(path, 'utf8')).trim();

/** `mnt:[4026531841]` or `4026531841` → `4026531841`. */
const inodeOf = (text: string) => /(\d+)\]?\s*$/.exec(text.trim())?.[1] ?? text.trim();

async function stdoutOf(context: CheckContext, command: string, args: string[]): Promise<string> {
  const result = await context.exec(command, args, { timeoutMs: 5_000 });
  if (result.exitCode !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.spawnError}`);
  return result.stdout.trim();
}

const modeSynonyms: Record<string, string> = { unified: 'v2', legacy: 'v1', cgroup2: 'v2', 'cgroup v2': 'v2', 'cgroup v1': 'v1' };

const questions: QuizQuestion[] = [
  {
    key: 'kernel-release',
    title: 'kernel release',
    truth: (context) => readTrimmed(join(context.system.proc, 'sys/kernel/osrelease')),
    solve: (context) => stdoutOf(context, 'uname', ['-r']),
    howToFind: 'Run `uname -r`.',
  },
  {
    key: 'cgroup-mode',
    title: 'cgroup mode',
    truth: async (context) => detectCgroupMode(context.system),
    // What the lesson teaches: the filesystem type at /sys/fs/cgroup, then at /sys/fs/cgroup/unified.
    async solve(context) {
      const top = await stdoutOf(context, 'stat', ['-fc', '%T', '/sys/fs/cgroup']);
      if (top === 'cgroup2fs') return 'v2';
      const unified = await context.exec('stat', ['-fc', '%T', '/sys/fs/cgroup/unified'], { timeoutMs: 5_000 });
      return unified.stdout.trim() === 'cgroup2fs' ? 'hybrid' : 'v1';
    },
    matches: (answer, truth) => sameText(modeSynonyms[answer.trim().toLowerCase()] ?? answer, truth),
    howToFind: 'Run `stat -fc %T /sys/fs/cgroup` (and, if it says tmpfs, `stat -fc %T /sys/fs/cgroup/unified`).',
  },
  {
    key: 'pid1',
    title: 'PID 1',
    truth: (context) => readTrimmed(join(context.system.proc, '1/comm')),
    solve: (context) => stdoutOf(context, 'cat', ['/proc/1/comm']),
    howToFind: 'Run `cat /proc/1/comm`.',
  },
  {
    key: 'mnt-ns',
    title: 'mount namespace inode',
    truth: async (context) => inodeOf(await readlink(join(context.system.proc, 'self/ns/mnt'))),
    solve: async (context) => inodeOf(await stdoutOf(context, 'readlink', ['/proc/self/ns/mnt'])),
    matches: (answer, truth) => inodeOf(answer) === truth,
    howToFind: 'Run `readlink /proc/self/ns/mnt` and take the number in brackets.',
  },
];

export default defineChecker({
  checks: questions.map(quizCheck),
  solution: answerEveryQuestion(questions),
});
