import { answerEveryQuestion, commandOutput, defineChecker, labCgroup, labCgroups, memoryCgroupLine, quizCheck, readSystemText, removeLessonCgroup, sameText, startLabProcess, waitUntil, type CheckContext, type QuizQuestion } from '../../src/kit/index.js';

const memoryLimit = 64 * 2 ** 20;
const pidsLimit = 16;

/** The processes in the lesson's cgroup, isolab/side (on v1, in any of its hierarchies). */
function sidePids(context: CheckContext): number[] {
  const cgroups = labCgroups(context);
  return cgroups.backend.exists(labCgroup(context)) ? cgroups.stats(labCgroup(context)).processes : [];
}

/** The line of /proc/<pid>/cgroup that names the memory cgroup (see memoryCgroupLine), or ''. */
const memoryLine = (context: CheckContext, text: string) => memoryCgroupLine(text, labCgroups(context).version === 'v2') ?? '';

/** The file this machine does NOT use: that is the point of the side-by-side. */
const otherMemoryFile = async (context: CheckContext) => (labCgroups(context).version === 'v2' ? 'memory.limit_in_bytes' : 'memory.max');

// The answers come from this machine and from the learner's own cgroup: the lesson's table says where to look,
// never what is there.
const questions: QuizQuestion[] = [
  {
    key: 'other-memory-file',
    title: "the other hierarchy's memory limit file",
    truth: otherMemoryFile,
    solve: otherMemoryFile,
    howToFind: 'Look at the mapping table in the lesson: the memory row, in the column of the hierarchy you do not have.',
  },
  {
    key: 'side-pid',
    title: 'the process you started in isolab/side',
    truth: async (context) => sidePids(context).join(' '),
    // The lesson's way: the cgroup.procs of the lesson's cgroup, in the memory hierarchy on v1.
    solve: async (context) => (await commandOutput(context, 'sh', ['-c', `cat /sys/fs/cgroup/${labCgroup(context)}/cgroup.procs 2>/dev/null || cat /sys/fs/cgroup/memory/${labCgroup(context)}/cgroup.procs`])).split('\n')[0]!,
    matches: (answer, truth) => /^\d+$/.test(answer.trim()) && truth.split(' ').includes(String(Number(answer.trim()))),
    howToFind: "Start a process in it (Step 3), then read isolab/side's cgroup.procs: /sys/fs/cgroup/isolab/side/cgroup.procs on v2, /sys/fs/cgroup/memory/isolab/side/cgroup.procs on v1.",
  },
  {
    key: 'memory-line',
    title: "the line of that process's /proc/<pid>/cgroup naming its memory cgroup",
    async truth(context) {
      const [pid] = sidePids(context);
      return pid === undefined ? '' : memoryLine(context, readSystemText(context, `/proc/${pid}/cgroup`));
    },
    solve: async (context) => memoryLine(context, await commandOutput(context, 'cat', [`/proc/${sidePids(context)[0]!}/cgroup`])),
    matches: (answer, truth) => truth !== '' && sameText(answer, truth),
    howToFind: 'cat /proc/<pid>/cgroup for the pid in isolab/side: on v2 its one line, on v1 or hybrid the line whose middle field names memory. Copy the whole line.',
  },
];

/**
 * Step 3's `cgroup-tool run isolab/side -- sleep 3600 &`: the shell cgroup-tool runs joins every hierarchy of
 * the cgroup and execs sleep. It is started here without cgroup-tool's waiting parent, detached, so that it
 * outlives the solution's process groups and nothing but the sleep is left for the cleanup to kill.
 */
async function startInside(context: CheckContext): Promise<void> {
  const dirs = labCgroups(context).backend.directories(labCgroup(context));
  const script = 'for dir in "$@"; do echo $$ > "$dir/cgroup.procs" || exit 125; done; exec sleep 3600';
  await startLabProcess('sh', ['-c', script, 'sh', ...dirs]);
  if (!(await waitUntil(context, () => sidePids(context).length > 0, 2_000))) throw new Error(`no process appeared in ${labCgroup(context)}`);
}

export default defineChecker({
  checks: [
    {
      id: 'limits',
      title: `isolab/side limits memory to 64M and processes to ${pidsLimit}`,
      tag: 'observe',
      async run(context) {
        const lab = labCgroup(context);
        const cgroups = labCgroups(context);
        if (!cgroups.backend.exists(lab)) return { pass: false, message: `there is no cgroup ${lab}`, hint: 'Create it in your hierarchy: Step 2 shows the commands for v1 and for v2.', observed: {} };
        const stats = cgroups.stats(lab);
        const limits = { memory: stats.memory?.max ?? null, pids: stats.pids?.max ?? null, version: cgroups.version };
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
    const tool = `${context.workspace}/dist/cgroup-tool.js`;
    await commandOutput(context, process.execPath, [tool, 'create', labCgroup(context)], 20_000);
    await commandOutput(context, process.execPath, [tool, 'set', labCgroup(context), 'memory.max=64M', `pids.max=${pidsLimit}`], 20_000);
    await startInside(context);
    await answerEveryQuestion(questions)(context);
  },

  shortcuts: [
    {
      name: 'the limits set, the questions answered from the lesson text without a process in isolab/side',
      fails: ['side-pid', 'memory-line'],
      async apply(context) {
        const cgroups = labCgroups(context);
        cgroups.create(labCgroup(context));
        cgroups.set(labCgroup(context), [{ key: 'memory.max', bytes: memoryLimit }, { key: 'pids.max', pids: pidsLimit }]);
        await context.answer('side-pid', '1');
        await context.answer('memory-line', `0::/${labCgroup(context)}`);
      },
    },
  ],
  cleanup: removeLessonCgroup,
});
