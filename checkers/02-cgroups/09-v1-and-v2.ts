import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLabProcess } from '../../src/kit/index.js';
import { CgroupManager } from '../../src/cgroup/index.js';
import { answerEveryQuestion, commandOutput, defineChecker, quizCheck, sameText, type CheckContext, type QuizQuestion } from '../../src/verify/index.js';

const lab = 'isolab/side';
const memoryLimit = 64 * 2 ** 20;
const pidsLimit = 16;

/** The processes in isolab/side (on v1, in any of its hierarchies). */
function sidePids(): number[] {
  const manager = new CgroupManager();
  return manager.backend.exists(lab) ? manager.stats(lab).processes : [];
}

/**
 * The line of /proc/<pid>/cgroup that names the memory cgroup: `0::/isolab/side` on v2, `<hierarchy id>:memory:…`
 * on v1 and hybrid, whose hierarchy id is this machine's (the order its hierarchies were mounted in).
 */
function memoryLine(text: string, version: 'v1' | 'v2'): string {
  const lines = text.trim().split('\n');
  const line = version === 'v2' ? lines.find((entry) => entry.startsWith('0::')) : lines.find((entry) => /^\d+:([^:]*,)?memory(,[^:]*)?:/.test(entry));
  return line ?? '';
}

const memoryLineOf = (context: CheckContext, pid: number) => memoryLine(readFileSync(join(context.system.proc, String(pid), 'cgroup'), 'utf8'), new CgroupManager().version);

// The answers come from this machine and from the learner's own cgroup: the lesson's table says where to look,
// never what is there.
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
    key: 'side-pid',
    title: 'the process you started in isolab/side',
    truth: async () => sidePids().join(' '),
    // The lesson's way: the cgroup.procs of isolab/side, in the memory hierarchy on v1.
    solve: async (context) => (await commandOutput(context, 'sh', ['-c', `cat /sys/fs/cgroup/${lab}/cgroup.procs 2>/dev/null || cat /sys/fs/cgroup/memory/${lab}/cgroup.procs`])).split('\n')[0]!,
    matches: (answer, truth) => /^\d+$/.test(answer.trim()) && truth.split(' ').includes(String(Number(answer.trim()))),
    howToFind: `Start a process in it (Step 3), then read ${lab}'s cgroup.procs: /sys/fs/cgroup/${lab}/cgroup.procs on v2, /sys/fs/cgroup/memory/${lab}/cgroup.procs on v1.`,
  },
  {
    key: 'memory-line',
    title: "the line of that process's /proc/<pid>/cgroup naming its memory cgroup",
    async truth(context) {
      const [pid] = sidePids();
      return pid === undefined ? '' : memoryLineOf(context, pid);
    },
    async solve(context) {
      const pid = sidePids()[0]!;
      return memoryLine(await commandOutput(context, 'cat', [`/proc/${pid}/cgroup`]), new CgroupManager().version);
    },
    matches: (answer, truth) => truth !== '' && sameText(answer, truth),
    howToFind: 'cat /proc/<pid>/cgroup for the pid in isolab/side: on v2 its one line, on v1 or hybrid the line whose middle field names memory. Copy the whole line.',
  },
];

function limitsOf(): { memory: number | 'max' | null; pids: number | 'max' | null; version: string } | null {
  const manager = new CgroupManager();
  if (!manager.backend.exists(lab)) return null;
  const stats = manager.stats(lab);
  return { memory: stats.memory?.max ?? null, pids: stats.pids?.max ?? null, version: manager.version };
}

/**
 * Step 3's `cgroup-tool run isolab/side -- sleep 3600 &`: the shell cgroup-tool runs joins every hierarchy of
 * isolab/side and execs sleep. It is started here without cgroup-tool's waiting parent, detached, so that it
 * outlives the solution's process groups and nothing but the sleep is left for the cleanup to kill.
 */
async function startInside(): Promise<void> {
  const dirs = new CgroupManager().backend.directories(lab);
  const script = 'for dir in "$@"; do echo $$ > "$dir/cgroup.procs" || exit 125; done; exec sleep 3600';
  await startLabProcess('sh', ['-c', script, 'sh', ...dirs]);
  for (let attempt = 0; attempt < 100 && sidePids().length === 0; attempt++) await sleep(20);
  if (sidePids().length === 0) throw new Error(`no process appeared in ${lab}`);
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
    await startInside();
    await answerEveryQuestion(questions)(context);
  },

  shortcuts: [
    {
      name: 'the limits set, the questions answered from the lesson text without a process in isolab/side',
      fails: ['side-pid', 'memory-line'],
      async apply(context) {
        const manager = new CgroupManager();
        manager.create(lab);
        manager.set(lab, [{ key: 'memory.max', bytes: memoryLimit }, { key: 'pids.max', pids: pidsLimit }]);
        await context.answer('side-pid', '1');
        await context.answer('memory-line', `0::/${lab}`);
      },
    },
  ],
  async cleanup() {
    const manager = new CgroupManager();
    if (manager.backend.exists(lab)) await manager.delete(lab, { kill: true });
    if (manager.backend.exists('isolab') && manager.children('isolab').length === 0) await manager.delete('isolab');
  },
});

