import { existsSync } from 'node:fs';
import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { detectCgroupMode, probeEnvironment } from '../../src/env/index.js';
import { packageRoot } from '../../src/system/index.js';
import { answerEveryQuestion, defineChecker, quizCheck, sameText, type CheckContext, type QuizQuestion } from '../../src/verify/index.js';
import { commandOutput } from '../../src/verify/index.js';

const readTrimmed = async (path: string) => (await readFile(path, 'utf8')).trim();

/** `mnt:[4026531841]` or `4026531841` → `4026531841`. */
const inodeOf = (text: string) => /(\d+)\]?\s*$/.exec(text.trim())?.[1] ?? text.trim();


const yesNo = (value: boolean) => (value ? 'yes' : 'no');
const normalizedYesNo = (answer: string) => ({ y: 'yes', true: 'yes', n: 'no', false: 'no' })[answer.trim().toLowerCase()] ?? answer;
const sameYesNo = (answer: string, truth: string) => sameText(normalizedYesNo(answer), truth);
const kindSynonyms: Record<string, string> = { 'bare metal': 'bare-metal', baremetal: 'bare-metal', 'virtual machine': 'vm', 'dev container': 'devcontainer', codespace: 'codespaces', wsl: 'wsl2' };

const modeSynonyms: Record<string, string> = { unified: 'v2', legacy: 'v1', cgroup2: 'v2', 'cgroup v2': 'v2', 'cgroup v1': 'v1' };

const questions: QuizQuestion[] = [
  {
    key: 'kernel-release',
    title: 'kernel release',
    truth: (context) => readTrimmed(join(context.system.proc, 'sys/kernel/osrelease')),
    solve: (context) => commandOutput(context, 'uname', ['-r']),
    howToFind: 'Run `uname -r`.',
  },
  {
    key: 'cgroup-mode',
    title: 'cgroup mode',
    truth: async (context) => detectCgroupMode(context.system),
    // What the lesson teaches: the filesystem type at /sys/fs/cgroup, then at /sys/fs/cgroup/unified.
    async solve(context) {
      const top = await commandOutput(context, 'stat', ['-fc', '%T', '/sys/fs/cgroup']);
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
    solve: (context) => commandOutput(context, 'cat', ['/proc/1/comm']),
    howToFind: 'Run `cat /proc/1/comm`.',
  },
  {
    key: 'mnt-ns',
    title: 'mount namespace inode',
    truth: async (context) => inodeOf(await readlink(join(context.system.proc, 'self/ns/mnt'))),
    solve: async (context) => inodeOf(await commandOutput(context, 'readlink', ['/proc/self/ns/mnt'])),
    matches: (answer, truth) => inodeOf(answer) === truth,
    howToFind: 'Run `readlink /proc/self/ns/mnt` and take the number in brackets.',
  },
  {
    key: 'hypervisor-flag',
    title: 'hypervisor flag',
    truth: async (context) => yesNo(/^flags\s*:.*\bhypervisor\b/m.test(await readFile(join(context.system.proc, 'cpuinfo'), 'utf8'))),
    async solve(context) {
      // grep -c exits 1 when it counts zero: that is an answer, not a failure.
      const result = await context.exec('grep', ['-c', '-w', 'hypervisor', '/proc/cpuinfo'], { timeoutMs: 5_000 });
      return yesNo(Number(result.stdout.trim()) > 0);
    },
    matches: sameYesNo,
    howToFind: 'Run `grep -c -w hypervisor /proc/cpuinfo` (more than 0 means yes).',
  },
  {
    key: 'dockerenv',
    title: '/.dockerenv present',
    truth: async (context) => yesNo(existsSync(join(context.system.root, '.dockerenv'))),
    solve: async (context) => yesNo((await context.exec('ls', ['/.dockerenv'], { timeoutMs: 5_000 })).exitCode === 0),
    matches: sameYesNo,
    howToFind: 'Run `ls -l /.dockerenv`.',
  },
  {
    key: 'environment',
    title: 'kind of machine',
    truth: async (context) => (await probeEnvironment(context.system, { namespaces: [], sudo: false })).environment.kind,
    // The lesson's way: read the verdict of `isolab doctor`.
    async solve(context) {
      const run = await context.exec(process.execPath, [join(packageRoot(), 'dist/isolab.js'), 'doctor', '--json'], { timeoutMs: 20_000 });
      return (JSON.parse(run.stdout) as { environment: { kind: string } }).environment.kind;
    },
    matches: (answer, truth) => sameText(kindSynonyms[answer.trim().toLowerCase()] ?? answer, truth),
    howToFind: 'Run `isolab doctor`: the first line names the kind of machine, and the evidence lines say why.',
  },
];

export default defineChecker({
  checks: questions.map(quizCheck),
  solution: answerEveryQuestion(questions),
});
