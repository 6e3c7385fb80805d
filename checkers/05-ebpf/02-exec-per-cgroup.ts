import { mkdirSync, writeFileSync } from 'node:fs';
import { cgroup2Dir, defineChecker, failCheck, labCgroup, makeCgroup2Dir, markOf, removeCgroupEverywhere, removeTracingLab, requireTracer, runMarked, startTracer, systemPath, tracerCheck, traceLength, traceNames, waitForTrace, withMarkedPrograms, type CheckContext, type Cgroup2Dir, type LabTracer } from '../../src/kit/index.js';

const dir = '/run/isolab/ebpf-exec';
const script = `${dir}/exec.bt`;
const tracer: LabTracer = {
  name: 'isolab-exec-trace',
  start: `setsid -f bash -c "exec -a isolab-exec-trace bpftrace ${script} $V2/isolab/ebpf-exec > ${dir}/exec.log 2>&1"`,
  output: `${dir}/exec.log`,
};
/** Where verify's own programs live while it runs them. */
const programsDir = (context: CheckContext) => systemPath(context, `${dir}/verify`);
/** A cgroup beside the lab's, whose programs must stay out of the trace: a filter must pick one cgroup, not "not mine". */
const besideLab = (context: CheckContext) => `${labCgroup(context)}-other`;

/** Step 4's script, as the lesson shows it. */
export const execScript = `tracepoint:sched:sched_process_exec
/cgroup == cgroupid(str($1))/
{
  printf("%-7d %-16s %s\\n", pid, comm, str(args->filename));
}
`;

function requireLab(context: CheckContext): Cgroup2Dir {
  const lab = cgroup2Dir(context, labCgroup(context));
  if (!lab) failCheck({ message: `there is no cgroup ${labCgroup(context)} in the cgroup v2 tree`, observed: {}, hint: 'Make it in the v2 tree as step 2 shows: `mkdir -p "$V2/isolab/ebpf-exec"`, then start the tracer again (its filter names it).' });
  return lab;
}

async function mustRun(context: CheckContext, program: string, cgroup?: string) {
  const result = await runMarked(context, program, cgroup);
  if (result.exitCode !== 0) throw new Error(`${program} failed to run${cgroup ? ` in ${cgroup}` : ''}: ${result.stderr.trim() || `exit ${result.exitCode}`}`);
}

/** The trace's lines since `from`, waited for until every program in `shown` is in them (or 5 s passed). */
function traceOf(context: CheckContext, from: number, shown: readonly string[]) {
  return waitForTrace(context, tracer, from, (text) => shown.every((program) => traceNames(text, program)));
}

/** Why programs run inside are missing from the trace, from what the trace holds. */
function missingHint(text: string, lab: Cgroup2Dir): string {
  if (text.trim() === '') {
    return `Nothing new reached the trace. The filter must compare \`cgroup\` with the id of ${lab.shown} (now ${lab.id}): \`cgroupid("${lab.shown}")\`, a directory of the v2 tree. If you made the cgroup again after starting the tracer, its id changed: kill the tracer and start it again.`;
  }
  return 'The trace has new lines, but not these programs\' names: print `comm` (or `str(args->filename)`) on each line.';
}

export default defineChecker({
  checks: [
    tracerCheck(tracer),
    {
      id: 'inside',
      title: 'programs started inside the lab cgroup are in the trace',
      tag: 'experiment',
      timeoutMs: 20_000,
      async run(context) {
        requireTracer(context, tracer);
        const lab = requireLab(context);
        return withMarkedPrograms(programsDir(context), 3, async (programs) => {
          const from = traceLength(context, tracer);
          for (const program of programs) await mustRun(context, program, lab.dir);
          const text = await traceOf(context, from, programs);
          const names = programs.map(markOf);
          const missing = programs.filter((program) => !traceNames(text, program)).map(markOf);
          if (missing.length > 0) {
            return { pass: false, message: `ran ${names.join(', ')} in ${lab.shown}; the trace lacks ${missing.join(', ')}`, observed: { ran: names, missing, lines: text.split('\n').length - 1 }, hint: missingHint(text, lab) };
          }
          return { pass: true, message: `ran ${names.join(', ')} in ${lab.shown} (id ${lab.id}): each is in the trace`, observed: { ran: names, id: String(lab.id) } };
        });
      },
    },
    {
      id: 'only-inside',
      title: 'programs started elsewhere are not',
      tag: 'experiment',
      timeoutMs: 20_000,
      async run(context) {
        requireTracer(context, tracer);
        const lab = requireLab(context);
        const beside = makeCgroup2Dir(context, besideLab(context));
        try {
          return await withMarkedPrograms(programsDir(context), 4, async ([ownCgroup, inside, nextDoor, insideLast]) => {
            const from = traceLength(context, tracer);
            // Inside and outside in turn: the last inside one shows when the tracer has read past the others.
            await mustRun(context, ownCgroup!);
            await mustRun(context, inside!, lab.dir);
            await mustRun(context, nextDoor!, beside.dir);
            await mustRun(context, insideLast!, lab.dir);
            const text = await traceOf(context, from, [inside!, insideLast!]);
            if (![inside!, insideLast!].every((program) => traceNames(text, program))) {
              failCheck({ message: `the trace does not show the programs run inside ${lab.shown}, so it cannot show the others left out`, observed: {}, hint: 'Make the check "inside" pass first.' });
            }
            const outside = [
              { program: ownCgroup!, where: "isolab's own cgroup" },
              { program: nextDoor!, where: beside.shown },
            ];
            const leaked = outside.filter(({ program }) => traceNames(text, program)).map(({ program, where }) => `${markOf(program)} (run in ${where})`);
            const ran = outside.map(({ program, where }) => `${markOf(program)} in ${where}`);
            if (leaked.length > 0) {
              return {
                pass: false,
                message: `the trace names ${leaked.join(' and ')}`,
                observed: { ran, leaked },
                hint: `Filter on the lab cgroup alone: \`/cgroup == cgroupid("${lab.shown}")/\` between the probe and its action.`,
              };
            }
            return { pass: true, message: `ran ${ran.join(' and ')}: neither is in the trace, the inside ones are`, observed: { ran } };
          });
        } finally {
          await removeCgroupEverywhere(context, besideLab(context));
        }
      },
    },
  ],

  cleanup: (context) => removeTracingLab(context, { tracer, cgroups: [labCgroup(context), besideLab(context)], dir }),

  // Steps 2, 4 and 5: the cgroup, the script, the tracer under its name; then one program inside, to see it there.
  async solution(context) {
    const lab = makeCgroup2Dir(context, labCgroup(context));
    await startLessonTracer(context, execScript, lab);
  },

  shortcuts: [
    {
      name: 'a tracer without the cgroup filter: every exec on the machine',
      fails: ['only-inside'],
      async apply(context) {
        await startLessonTracer(context, execScript.replace('/cgroup == cgroupid(str($1))/\n', ''), makeCgroup2Dir(context, labCgroup(context)));
      },
    },
    {
      name: 'the cgroup made again after the tracer started (its filter holds the old id)',
      fails: ['inside'],
      async apply(context) {
        await startLessonTracer(context, execScript, makeCgroup2Dir(context, labCgroup(context)));
        await removeCgroupEverywhere(context, labCgroup(context));
        makeCgroup2Dir(context, labCgroup(context));
      },
    },
    {
      name: 'the tracer named, but its output left in another file',
      fails: ['tracer', 'inside', 'only-inside'],
      async apply(context) {
        await startLessonTracer(context, execScript, makeCgroup2Dir(context, labCgroup(context)), `${dir}/other.log`);
      },
    },
    {
      name: 'a trace written by hand, with lines copied from an earlier run',
      fails: ['tracer', 'inside', 'only-inside'],
      async apply(context) {
        makeCgroup2Dir(context, labCgroup(context));
        mkdirSync(systemPath(context, dir), { recursive: true });
        writeFileSync(systemPath(context, tracer.output), 'Attaching 1 probe...\n4242    isolab-3fa9c2e1  /run/isolab/ebpf-exec/verify/isolab-3fa9c2e1\n');
      },
    },
  ],
});

/**
 * Starts `program` as the lesson's tracer (step 5) filtering on `lab`, writing to `output`; then, as step 4 tries
 * it, runs a program inside until the trace shows it (attaching takes a moment after `Attaching 1 probe...`).
 */
async function startLessonTracer(context: CheckContext, program: string, lab: Cgroup2Dir, output = tracer.output): Promise<void> {
  mkdirSync(systemPath(context, dir), { recursive: true });
  writeFileSync(systemPath(context, script), program);
  const traced = { ...tracer, output };
  await withMarkedPrograms(programsDir(context), 1, async ([probe]) => {
    const shown = async () => {
      await mustRun(context, probe!, lab.dir);
      return traceNames(await waitForTrace(context, traced, 0, (text) => traceNames(text, probe!), 1_000), probe!);
    };
    await startTracer(context, traced, [script, lab.shown], { ready: shown, timeoutMs: 10_000 });
  });
}
