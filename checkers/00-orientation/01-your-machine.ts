import { join } from 'node:path';
import { detectCgroupMode, probeEnvironment } from '../../src/env/index.js';
import { answerEveryQuestion, commandOutput, defineChecker, quizCheck, readSystemLink, readSystemText, sameWithSynonyms, sameYesNo, systemPath, yesNo, type QuizQuestion } from '../../src/kit/index.js';
import { packageRoot, pathExists } from '../../src/system/index.js';

/** `mnt:[4026531841]` or `4026531841` → `4026531841`. */
const inodeOf = (text: string) => /(\d+)\]?\s*$/.exec(text.trim())?.[1] ?? text.trim();

const questions: QuizQuestion[] = [
  {
    key: 'kernel-release',
    title: 'kernel release',
    truth: async (context) => readSystemText(context, '/proc/sys/kernel/osrelease'),
    solve: (context) => commandOutput(context, 'uname', ['-r']),
    howToFind: 'Run `uname -r`.',
  },
  {
    key: 'cgroup-mode',
    title: 'cgroup mode',
    truth: async (context) => detectCgroupMode(context.system),
    // What the lesson teaches: the filesystem type at /sys/fs/cgroup, then at /sys/fs/cgroup/unified.
    async solve(context) {
      if ((await commandOutput(context, 'stat', ['-fc', '%T', '/sys/fs/cgroup'])) === 'cgroup2fs') return 'v2';
      const unified = await context.exec('stat', ['-fc', '%T', '/sys/fs/cgroup/unified'], { timeoutMs: 5_000 });
      return unified.stdout.trim() === 'cgroup2fs' ? 'hybrid' : 'v1';
    },
    matches: sameWithSynonyms({ unified: 'v2', legacy: 'v1', cgroup2: 'v2', 'cgroup v2': 'v2', 'cgroup v1': 'v1' }),
    howToFind: 'Run `stat -fc %T /sys/fs/cgroup` (and, if it says tmpfs, `stat -fc %T /sys/fs/cgroup/unified`).',
  },
  {
    key: 'pid1',
    title: 'PID 1',
    truth: async (context) => readSystemText(context, '/proc/1/comm'),
    solve: (context) => commandOutput(context, 'cat', ['/proc/1/comm']),
    howToFind: 'Run `cat /proc/1/comm`.',
  },
  {
    key: 'mnt-ns',
    title: 'mount namespace inode',
    truth: async (context) => inodeOf(readSystemLink(context, '/proc/self/ns/mnt')),
    solve: async (context) => inodeOf(await commandOutput(context, 'readlink', ['/proc/self/ns/mnt'])),
    matches: (answer, truth) => inodeOf(answer) === truth,
    howToFind: 'Run `readlink /proc/self/ns/mnt` and take the number in brackets.',
  },
  {
    key: 'hypervisor-flag',
    title: 'hypervisor flag',
    truth: async (context) => yesNo(/^flags\s*:.*\bhypervisor\b/m.test(readSystemText(context, '/proc/cpuinfo'))),
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
    truth: async (context) => yesNo(pathExists(systemPath(context, '/.dockerenv'))),
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
      const doctor = await context.exec(process.execPath, [join(packageRoot(), 'dist/isolab.js'), 'doctor', '--json'], { timeoutMs: 20_000 });
      return (JSON.parse(doctor.stdout) as { environment: { kind: string } }).environment.kind;
    },
    matches: sameWithSynonyms({ 'bare metal': 'bare-metal', baremetal: 'bare-metal', 'virtual machine': 'vm', 'dev container': 'devcontainer', codespace: 'codespaces', wsl: 'wsl2' }),
    howToFind: 'Run `isolab doctor`: the first line names the kind of machine, and the evidence lines say why.',
  },
];

export default defineChecker({ checks: questions.map(quizCheck), solution: answerEveryQuestion(questions) });
