// Lesson 5.4: the learner's named bpftrace tracer sees cgroups made, processes attached and an OOM kill.
//
// Verify triggers the events itself, while the learner's tracer runs: it makes a cgroup with a name no earlier run
// had (`<lab cgroup>-verify-<random>`), moves a process into it, and in another one OOM-kills a hog that gave
// itself a comm of the same kind. The trace must then name exactly those: the cgroup's path or id, the pid the
// kernel gave the process, the victim's pid and comm with its cgroup. A trace kept from an earlier run, the
// kernel log, or a line written by hand cannot know them in advance. The learner's own OOM kill, made with
// cgroup-tool in the lesson's cgroup, is checked too, against the kernel's count in memory.events: the lesson asks
// for the learner's run, and only the checker's own run proves the tracer sees what happens now.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import {
  cgroup2Path,
  defineChecker,
  failCheck,
  killLabProcesses,
  labCgroup,
  labCgroups,
  lineHasToken,
  readCgroupCounters,
  removeEmptyDirs,
  removeLabCgroup,
  removeLessonCgroup,
  requireTracer,
  runInCgroup,
  startLabProcess,
  startTracer,
  systemPath,
  traceLines,
  waitForTraceLine,
  type CheckContext,
  type CheckOutcome,
  type LabTracer,
} from '../../src/kit/index.js';

const labDir = '/run/isolab/ebpf-oom';
const errors = `${labDir}/errors.txt`;
const tracer: LabTracer = {
  name: 'isolab-oom-trace',
  // Step 2's command: the shell's > with -B none (bpftrace 0.17's -o keeps a buffer -B does not reach).
  start: `setsid -f bash -c 'exec -a isolab-oom-trace bpftrace -B none ${labDir}/oom.bt >${labDir}/trace.txt 2>${errors}'`,
  output: `${labDir}/trace.txt`,
};
/** The first line of the whole trace `matches` picks, waited for up to `timeoutMs`; verify's names are new each run. */
const waitForLine = (context: CheckContext, matches: (line: string) => boolean, timeoutMs = 10_000) => waitForTraceLine(context, tracer, 0, matches, timeoutMs);

/** The lesson's tracer, as step 2 writes it to oom.bt. */
const probes = {
  mkdir: 'tracepoint:cgroup:cgroup_mkdir { printf("mkdir id=%llu path=%s\\n", args->id, str(args->path)); }',
  attach: 'tracepoint:cgroup:cgroup_attach_task { printf("attach pid=%d comm=%s id=%llu path=%s\\n", args->pid, str(args->comm), args->dst_id, str(args->dst_path)); }',
  oom: 'tracepoint:oom:mark_victim { printf("oom victim pid=%d comm=%s cgroup=%llu\\n", args->pid, comm, cgroup); }',
  exit: 'tracepoint:sched:sched_process_exit { printf("exit pid=%d comm=%s cgroup=%llu\\n", pid, comm, cgroup); }',
};
// mkdir last: bpftrace attaches in the script's order, so once a mkdir is seen the other probes are attached too.
const script = (...chosen: Array<Exclude<keyof typeof probes, 'mkdir'>>) => [...chosen.map((name) => probes[name]), probes.mkdir].join('\n');

/** A cgroup of the checker's own, beside the lesson's: its name is new at every verify. */
const verifyCgroup = (context: CheckContext) => `${labCgroup(context)}-verify-${randomBytes(3).toString('hex')}`;

/** The path a cgroup tracepoint prints (from the hierarchy's root) and the cgroup id (its directory's inode). */
function cgroupNames(context: CheckContext, name: string): { path: string; id: bigint } {
  return { path: `/${name}`, id: statSync(cgroup2Path(context, name).dir, { bigint: true }).ino };
}

/** An OOM line, not a cgroup one (no lab cgroup's name holds "oom": see the front matter). */
const isOomLine = (line: string) => /oom|victim/i.test(line) && !/mkdir|attach/i.test(line);
const namesCgroup = (line: string, cgroup: { path: string; id: bigint }) => lineHasToken(line, cgroup.path) || lineHasToken(line, cgroup.id);
const oomKills = (context: CheckContext, name: string) => readCgroupCounters(context, name, 'memory.events').oom_kill ?? 0;

/** Makes the cgroup, runs `work` with it, and removes it (and anything left in it) whatever happened. */
async function withVerifyCgroup<T>(context: CheckContext, work: (name: string) => Promise<T>): Promise<T> {
  const name = verifyCgroup(context);
  labCgroups(context).create(name, ['memory']);
  try {
    return await work(name);
  } finally {
    await removeLabCgroup(context, name);
  }
}

async function cgroupEvents(context: CheckContext): Promise<CheckOutcome> {
  requireTracer(context, tracer);
  return withVerifyCgroup(context, async (name) => {
    const cgroup = cgroupNames(context, name);
    // The shell joins and then prints its pid, the one the kernel attached.
    const joined = await runInCgroup(context, cgroup2Path(context, name).dir, 'sh', ['-c', 'echo $$']);
    const pid = Number(joined.stdout.trim());
    const mkdir = await waitForLine(context, (line) => /mkdir/i.test(line) && namesCgroup(line, cgroup));
    const attach = await waitForLine(context, (line) => /attach/i.test(line) && lineHasToken(line, pid) && namesCgroup(line, cgroup), mkdir ? 3_000 : 0);
    const observed = { cgroup: cgroup.path, id: String(cgroup.id), pid, mkdir: mkdir ?? null, attach: attach ?? null };
    if (!mkdir || !attach) {
      const missing = [!mkdir && `the mkdir of ${cgroup.path} (id ${cgroup.id})`, !attach && `pid ${pid} attached to it`].filter(Boolean).join(' and ');
      return { pass: false, message: `verify made ${cgroup.path} and moved pid ${pid} into it; ${tracer.output} has no line for ${missing}`, observed, hint: 'Trace tracepoint:cgroup:cgroup_mkdir (a line with "mkdir", the path or id) and tracepoint:cgroup:cgroup_attach_task (a line with "attach", the pid and the path or id), as step 2 shows.' };
    }
    return { pass: true, message: `your trace saw ${cgroup.path} made and pid ${pid} attached to it`, observed };
  });
}

async function oomVictim(context: CheckContext): Promise<CheckOutcome> {
  requireTracer(context, tracer);
  return withVerifyCgroup(context, async (name) => {
    labCgroups(context).set(name, [{ key: 'memory.max', bytes: 16 * 2 ** 20 }, { key: 'memory.swap.max', bytes: 0 }]);
    const cgroup = cgroupNames(context, name);
    // comm is at most 15 characters; a new one each verify. The hog names itself, says its pid, then doubles a string.
    const comm = `isolab-hog-${randomBytes(2).toString('hex')}`;
    const hog = await runInCgroup(context, cgroup2Path(context, name).dir, 'bash', ['-c', 'printf %s "$0" > /proc/self/comm; echo $$; s=x; while :; do s=$s$s; done', comm], 60_000);
    const pid = Number(hog.stdout.trim().split('\n')[0]);
    const kills = oomKills(context, name);
    if (kills < 1 || hog.signal !== 'SIGKILL') {
      failCheck({ message: `the hog ended with ${hog.signal ?? `exit ${hog.exitCode}`} and memory.events counts ${kills} OOM kills: no OOM kill to trace`, hint: 'Swap or a kernel without memory.max enforcement? isolab doctor shows the memory delegation.', observed: { pid, kills, exit: hog.signal ?? hog.exitCode } });
    }
    const line = await waitForLine(context, (text) => isOomLine(text) && lineHasToken(text, pid) && lineHasToken(text, comm) && namesCgroup(text, cgroup));
    const observed = { pid, comm, cgroup: cgroup.path, id: String(cgroup.id), oomKills: kills, line: line ?? null };
    if (!line) {
      return { pass: false, message: `the kernel OOM-killed ${comm} (pid ${pid}) in ${cgroup.path}; ${tracer.output} has no OOM line naming that pid, comm and cgroup`, observed, hint: 'Trace tracepoint:oom:mark_victim: print "oom", args->pid, comm and cgroup (the id), as step 2 shows.' };
    }
    return { pass: true, message: `your trace named the victim: ${comm}, pid ${pid}, in ${cgroup.path}`, observed };
  });
}

/** The learner's own OOM kill in the lesson's cgroup, counted by the kernel and named in the trace. */
async function yourOom(context: CheckContext): Promise<CheckOutcome> {
  const name = labCgroup(context);
  const cgroups = labCgroups(context);
  if (!cgroups.backend.exists(name)) failCheck({ message: `there is no cgroup ${name}`, hint: `Make it and run the hog there with cgroup-tool (step 3): \`cgroup-tool create ${name}\`.`, observed: {} });
  const kills = oomKills(context, name);
  if (kills < 1) failCheck({ message: `memory.events of ${name} counts no OOM kill`, hint: `Set memory.max and memory.swap.max=0, then \`cgroup-tool run ${name} -- tail /dev/zero\` (step 3).`, observed: { oomKills: kills } });
  const cgroup = cgroupNames(context, name);
  const lines = traceLines(context, tracer).filter((line) => isOomLine(line) && namesCgroup(line, cgroup));
  const observed = { cgroup: cgroup.path, id: String(cgroup.id), oomKills: kills, lines };
  if (lines.length === 0) {
    return { pass: false, message: `the kernel counts ${kills} OOM kill(s) in ${name}; ${tracer.output} has no OOM line naming ${cgroup.path} or id ${cgroup.id}`, observed, hint: 'Start the tracer (step 2) before the hog (step 3), and run the hog again.' };
  }
  return { pass: true, message: `the kernel counts ${kills} OOM kill(s) in ${name}, and your trace names it: ${lines.at(-1)!.trim()}`, observed };
}

/** The learner's step 3, through the same manager cgroup-tool runs: a 32M cgroup and `tail /dev/zero` in it. */
async function learnersOom(context: CheckContext): Promise<void> {
  const name = labCgroup(context);
  const cgroups = labCgroups(context);
  cgroups.create(name, ['memory']);
  cgroups.set(name, [{ key: 'memory.max', bytes: 32 * 2 ** 20 }, { key: 'memory.swap.max', bytes: 0 }]);
  await runInCgroup(context, cgroup2Path(context, name).dir, 'tail', ['/dev/zero'], 20_000);
}

/** The learner's step 2: the tracer, started and seen tracing (a cgroup made and removed until its mkdir shows). */
async function learnersTracer(context: CheckContext, ...chosen: Array<Exclude<keyof typeof probes, 'mkdir'>>): Promise<void> {
  mkdirSync(systemPath(context, labDir), { recursive: true });
  const seesMkdir = () =>
    withVerifyCgroup(context, async (name) => (await waitForLine(context, (line) => /mkdir/.test(line) && namesCgroup(line, cgroupNames(context, name)), 2_000)) !== undefined);
  await startTracer(context, tracer, ['-B', 'none', '-e', script(...chosen)], { errors, ready: seesMkdir, timeoutMs: 90_000 });
}

async function cleanup(context: CheckContext): Promise<void> {
  await killLabProcesses(context, tracer.name);
  const prefix = `${labCgroup(context).split('/').at(-1)}-verify-`;
  const parent = labCgroup(context).split('/').slice(0, -1).join('/');
  for (const child of labCgroups(context).backend.exists(parent) ? labCgroups(context).children(parent) : []) {
    if (child.split('/').at(-1)!.startsWith(prefix)) await removeLabCgroup(context, child);
  }
  await removeLessonCgroup(context);
  rmSync(systemPath(context, labDir), { recursive: true, force: true });
  removeEmptyDirs([systemPath(context, '/run/isolab')]);
}

export default defineChecker({
  checks: [
    { id: 'tracer', title: `a bpftrace called ${tracer.name} is running and writes ${tracer.output}`, tag: 'observe', run: async (context) => ({ pass: true, message: `${tracer.name} is bpftrace (pid ${requireTracer(context, tracer)}), writing ${tracer.output}` }) },
    { id: 'cgroup-events', title: 'your trace sees a cgroup made and a process attached to it', tag: 'experiment', timeoutMs: 30_000, run: cgroupEvents },
    { id: 'oom-victim', title: 'your trace names an OOM victim: its pid, comm and cgroup', tag: 'experiment', timeoutMs: 90_000, run: oomVictim },
    { id: 'your-oom', title: 'your own OOM kill in the lesson cgroup is counted by the kernel and named in your trace', tag: 'observe', run: yourOom },
  ],
  async solution(context) {
    await learnersTracer(context, 'attach', 'oom');
    await learnersOom(context);
    await waitForLine(context, (line) => line.startsWith('oom victim') && namesCgroup(line, cgroupNames(context, labCgroup(context))), 30_000);
  },
  shortcuts: [
    {
      name: 'the kernel log followed instead of a tracer (dmesg --follow called isolab-oom-trace, into the trace file)',
      fails: ['tracer', 'cgroup-events'],
      async apply(context) {
        mkdirSync(systemPath(context, labDir), { recursive: true });
        await startLabProcess('bash', ['-c', `exec -a ${tracer.name} dmesg --follow > ${tracer.output}`]);
        await learnersOom(context);
      },
    },
    {
      name: 'a tracer of cgroup mkdir and attach only, without oom:mark_victim',
      fails: ['oom-victim', 'your-oom'],
      async apply(context) {
        await learnersTracer(context, 'attach');
        await learnersOom(context);
      },
    },
    {
      name: 'the process exit traced instead of the OOM kill (sched_process_exit with pid, comm and cgroup)',
      fails: ['oom-victim', 'your-oom'],
      async apply(context) {
        await learnersTracer(context, 'attach', 'exit');
        await learnersOom(context);
      },
    },
    {
      name: 'the tracer stopped after the learner’s own OOM kill, its trace kept',
      fails: ['tracer', 'cgroup-events', 'oom-victim'],
      async apply(context) {
        await learnersTracer(context, 'attach', 'oom');
        await learnersOom(context);
        await waitForLine(context, (line) => line.startsWith('oom victim'), 30_000);
        await killLabProcesses(context, tracer.name);
      },
    },
  ],
  cleanup,
});
