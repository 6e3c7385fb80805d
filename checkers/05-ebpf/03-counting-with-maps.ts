import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { defineChecker, failCheck, labCgroup, makeCgroup2Dir, mapPrints, removeCgroupEverywhere, removeTracingLab, requireTracer, runInCgroup, startTracer, systemPath, tracerCheck, traceLength, traceSince, waitForTrace, type Cgroup2Dir, type CheckContext, type LabTracer, type MapEntry } from '../../src/kit/index.js';

const dir = '/run/isolab/ebpf-count';
const script = `${dir}/fsync.bt`;
const map = 'fsync';
const tracer: LabTracer = {
  name: 'isolab-fsync-count',
  start: `setsid -f bash -c 'exec -a isolab-fsync-count bpftrace ${script} > ${dir}/fsync.log 2>&1'`,
  output: `${dir}/fsync.log`,
};
/** A cgroup beside the lab's, made new for each verify: its count must be its own. */
const besideLab = (context: CheckContext) => `${labCgroup(context)}-other`;

/** Step 4's script, as the lesson shows it. */
export const fsyncScript = `tracepoint:syscalls:sys_enter_fsync
{
  @fsync[cgroup] = count();
}

interval:s:1
{
  time("%H:%M:%S\\n");
  print(@fsync);
}
`;

/** The complete map prints written since `from`, once there are `count` of them (or after `timeoutMs`). */
async function printsSince(context: CheckContext, from: number, count: number, timeoutMs = 6_000): Promise<MapEntry[][]> {
  return mapPrints(await waitForTrace(context, tracer, from, (text) => mapPrints(text).length >= count, timeoutMs));
}

/** What a print says of `@fsync` for the cgroup `id` (summed over any further keys); 0 where it has no entry. */
function figureFor(print: readonly MapEntry[], id: bigint): number | undefined {
  const entries = print.filter((entry) => entry.map === map && entry.keys[0] === String(id));
  return entries.length === 0 ? undefined : entries.reduce((sum, entry) => sum + entry.value, 0);
}

/** One print of the map, read after everything before `from` happened: the second complete one after it. */
async function printAfter(context: CheckContext, from: number): Promise<MapEntry[]> {
  const prints = await printsSince(context, from, 2);
  if (prints.length < 2) {
    const text = traceSince(context, tracer, from);
    failCheck({
      message: text.trim() === '' ? `${tracer.output} got nothing new for 6 s` : `${tracer.output} got output, but not a print of the map between two other lines`,
      observed: { output: text.slice(-500) },
      hint: `Print the map every second from an interval probe, with a line before it: \`interval:s:1 { time("%H:%M:%S\\n"); print(@${map}); }\`.`,
    });
  }
  return prints.at(-1)!;
}

/** Makes `calls` fsync calls in the cgroup `cgroup`: `sync` with the same file named `calls` times. */
async function fsyncIn(context: CheckContext, cgroup: Cgroup2Dir, calls: number): Promise<void> {
  const file = systemPath(context, `${dir}/verify/fsync-me`);
  mkdirSync(systemPath(context, `${dir}/verify`), { recursive: true });
  writeFileSync(file, 'isolab\n');
  const result = await runInCgroup(context, cgroup.dir, 'sync', Array.from({ length: calls }, () => file));
  if (result.exitCode !== 0) throw new Error(`sync failed in ${cgroup.shown}: ${result.stderr.trim() || `exit ${result.exitCode}`}`);
}

export default defineChecker({
  checks: [
    tracerCheck(tracer),
    {
      id: 'printing',
      title: `it prints @${map} every second or so`,
      tag: 'observe',
      timeoutMs: 10_000,
      async run(context) {
        requireTracer(context, tracer);
        const print = await printAfter(context, traceLength(context, tracer));
        const entries = print.filter((entry) => entry.map === map);
        return { pass: true, message: `a print of @${map} came, with ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`, observed: { entries: entries.length } };
      },
    },
    {
      id: 'per-cgroup',
      title: 'its count for each cgroup grows by the fsync calls made there',
      tag: 'experiment',
      timeoutMs: 25_000,
      async run(context) {
        requireTracer(context, tracer);
        const lab = makeCgroup2Dir(context, labCgroup(context));
        // Made new, so its id is new too: whatever an earlier verify counted there is under another key.
        await removeCgroupEverywhere(context, besideLab(context));
        const beside = makeCgroup2Dir(context, besideLab(context));
        try {
          const before = figureFor(await printAfter(context, traceLength(context, tracer)), lab.id) ?? 0;
          const calls = { lab: randomInt(20, 60), beside: randomInt(61, 99) };
          await fsyncIn(context, lab, calls.lab);
          await fsyncIn(context, beside, calls.beside);
          const after = await printAfter(context, traceLength(context, tracer));
          const grew = { lab: (figureFor(after, lab.id) ?? 0) - before, beside: figureFor(after, beside.id) ?? 0 };
          const observed = { made: calls, grew, ids: { lab: String(lab.id), beside: String(beside.id) } };
          const said = `made ${calls.lab} fsync calls in ${lab.shown} (id ${lab.id}) and ${calls.beside} in ${beside.shown} (id ${beside.id})`;
          if (grew.lab === calls.lab && grew.beside === calls.beside) return { pass: true, message: `${said}: @${map} grew by exactly those`, observed };
          const unseen = figureFor(after, lab.id) === undefined;
          return {
            pass: false,
            message: `${said}: @${map} grew by ${grew.lab} and ${grew.beside}${unseen ? ` (no entry @${map}[${lab.id}])` : ''}`,
            observed,
            hint:
              grew.lab > calls.lab || grew.beside > calls.beside
                ? `The map counts more than fsync: probe \`tracepoint:syscalls:sys_enter_fsync\` alone, and count into @${map}.`
                : `Key the map by the cgroup id and keep counting (no clear()): \`@${map}[cgroup] = count();\`.`,
          };
        } finally {
          await removeCgroupEverywhere(context, besideLab(context));
        }
      },
    },
  ],

  cleanup: (context) => removeTracingLab(context, { tracer, cgroups: [labCgroup(context), besideLab(context)], dir }),

  // Steps 3 to 5: the cgroup, the script, the tracer under its name.
  async solution(context) {
    makeCgroup2Dir(context, labCgroup(context));
    await startLessonTracer(context, fsyncScript);
  },

  shortcuts: [
    {
      name: 'every system call counted per cgroup, not fsync alone',
      fails: ['per-cgroup'],
      apply: (context) => startLessonTracer(context, fsyncScript.replace('tracepoint:syscalls:sys_enter_fsync', 'tracepoint:raw_syscalls:sys_enter')),
    },
    {
      name: 'one count of fsync for the whole machine, not one per cgroup',
      fails: ['per-cgroup'],
      apply: (context) => startLessonTracer(context, fsyncScript.replace('@fsync[cgroup]', '@fsync')),
    },
    {
      name: 'the map printed only when bpftrace exits',
      fails: ['printing', 'per-cgroup'],
      apply: (context) => startLessonTracer(context, fsyncScript.slice(0, fsyncScript.indexOf('interval:'))),
    },
    {
      name: 'a log written by hand',
      fails: ['tracer', 'printing', 'per-cgroup'],
      async apply(context) {
        mkdirSync(systemPath(context, dir), { recursive: true });
        writeFileSync(systemPath(context, tracer.output), 'Attaching 2 probes...\n10:00:00\n@fsync[11406]: 42\n10:00:01\n@fsync[11406]: 42\n');
      },
    },
  ],
});

/** Starts `program` as the lesson's tracer (step 5), and waits until it has attached. */
async function startLessonTracer(context: CheckContext, program: string): Promise<void> {
  mkdirSync(systemPath(context, dir), { recursive: true });
  writeFileSync(systemPath(context, script), program);
  await startTracer(context, tracer, [script], { ready: () => /^Attaching \d+ probes?/m.test(traceSince(context, tracer)), timeoutMs: 15_000 });
}
