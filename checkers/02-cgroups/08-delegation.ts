/**
 * 2.8 Delegation. Setup turns the lesson's cgroup (isolab/ctr) into what a container's root cgroup is: a cgroup
 * that holds a process and has not enabled any controller for children, so enabling one fails with EBUSY (the
 * no-internal-processes rule, cgroup-v2.rst; kernel-facts §3.1). The learner repairs it with the nesting move (§3.2).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { explainCgroupErrno, readOwnCgroups, writeControlFile } from '../../src/cgroup/index.js';
import { inCgroupNamespace } from '../../src/env/index.js';
import { blockedError, errnoCode } from '../../src/errors/index.js';
import { cgroup2Mount, cgroupPids, commandOutput, defineChecker, describeProcesses, failCheck, killLabProcesses, labCgroup, labProcessesNamed, readCgroupFile, removeLessonCgroup, startLabProcess, type CheckContext, type CheckOutcome } from '../../src/kit/index.js';
import { packageRoot, readWords } from '../../src/system/index.js';

/** argv[0] of the process setup leaves in the lesson's cgroup: the stand-in for a container's workload. */
const appName = 'isolab-ctr-app';
const wanted = ['memory', 'pids'] as const;
/** The limit the reference solution sets: 64 MiB. */
const solutionLimit = String(64 * 2 ** 20);

/** The lesson's cgroup (the "container", isolab/ctr) and its parent (isolab/), on disk under the cgroup2 mount. */
function labOf(context: CheckContext) {
  const mount = cgroup2Mount(context);
  const name = labCgroup(context);
  const ctr = join(mount.dir, name);
  // namespaceRoot: the mount's root is a cgroup namespace root (a container), not the machine's real root.
  return { name, shown: mount.shown, mountDir: mount.dir, isolab: dirname(ctr), ctr, namespaceRoot: inCgroupNamespace(context.system) };
}
type Lab = ReturnType<typeof labOf>;

/** The lab with the container's processes; a failed check when setup's container is not there. */
function existingLab(context: CheckContext): Lab & { procs: number[] } {
  const lab = labOf(context);
  const procs = cgroupPids(context, lab.name);
  if (!procs) failCheck({ message: `${lab.shown}/${lab.name} does not exist`, hint: 'The lesson\'s "container" is made by setup: run isolab start 2.8.' });
  return { ...lab, procs };
}

/** What stands between the container and memory + pids in its cgroup.controllers, as a hint. */
function upstreamHint(context: CheckContext, lab: Lab, missing: readonly string[]): string {
  const isolabEnabled = readWords(join(lab.isolab, 'cgroup.subtree_control')) ?? [];
  const rootEnabled = readWords(join(lab.mountDir, 'cgroup.subtree_control')) ?? [];
  const rootAvailable = readWords(join(lab.mountDir, 'cgroup.controllers')) ?? [];
  const rootProcs = (readWords(join(lab.mountDir, 'cgroup.procs')) ?? []).map(Number);
  const list = missing.join(' and ');
  const parent = dirname(lab.name);
  const enableInIsolab = `echo "${missing.map((controller) => `+${controller}`).join(' ')}" > ${lab.shown}/${parent}/cgroup.subtree_control`;
  if (missing.some((controller) => !rootAvailable.includes(controller))) {
    return `${lab.name} cannot get ${list}: ${lab.shown}/cgroup.controllers does not list ${missing.length === 1 ? 'it' : 'them'}, so whoever set up this machine did not delegate ${missing.length === 1 ? 'it' : 'them'} here. isolab doctor says what can be done about that.`;
  }
  if (missing.every((controller) => rootEnabled.includes(controller))) {
    return `${lab.name} lists no ${list} in its cgroup.controllers because its parent ${parent}/ has not enabled ${missing.length === 1 ? 'it' : 'them'} (${parent}/cgroup.subtree_control reads "${isolabEnabled.join(' ')}"). ${parent}/ holds no processes, so this works: ${enableInIsolab}`;
  }
  if (lab.namespaceRoot && rootProcs.length > 0) {
    return `${lab.name} has no ${list} to enable: they stop at this container's own root cgroup ${lab.shown}, which holds ${describeProcesses(context, rootProcs)} and so cannot enable them for ${parent}/ either (the same rule, one level up). Repair the root first with the same move: isolab doctor --fix (it moves those processes into ${lab.shown}/init). Then: ${enableInIsolab}`;
  }
  return `${lab.name} has no ${list} to enable: ${lab.shown}/cgroup.subtree_control reads "${rootEnabled.join(' ')}". Run isolab start 2.8 again to rebuild the lab.`;
}

function moveHint(context: CheckContext, lab: Lab, pids: readonly number[]): string {
  const first = pids[0]!;
  return `${lab.name} still holds ${describeProcesses(context, pids)}, so it cannot enable controllers for children (no internal processes): move ${pids.length === 1 ? 'it' : 'them'} into a child first: mkdir ${lab.shown}/${lab.name}/init; echo ${first} > ${lab.shown}/${lab.name}/init/cgroup.procs${pids.length > 1 ? ' (one pid per write, for each)' : ''}`;
}

function checkEnabled(context: CheckContext): CheckOutcome {
  const lab = existingLab(context);
  const enabled = readWords(join(lab.ctr, 'cgroup.subtree_control')) ?? [];
  const available = readWords(join(lab.ctr, 'cgroup.controllers')) ?? [];
  const observed = { subtreeControl: enabled.join(' '), controllers: available.join(' '), processes: lab.procs.length };
  const notEnabled = wanted.filter((controller) => !enabled.includes(controller));
  if (notEnabled.length === 0) {
    return { pass: true, message: `${lab.name}/cgroup.subtree_control reads "${enabled.join(' ')}"`, observed };
  }
  const message = `${lab.name}/cgroup.subtree_control reads "${enabled.join(' ')}": ${notEnabled.join(' and ')} not enabled`;
  const unavailable = notEnabled.filter((controller) => !available.includes(controller));
  if (unavailable.length > 0) return { pass: false, message, observed, hint: upstreamHint(context, lab, unavailable) };
  if (lab.procs.length > 0) return { pass: false, message, observed, hint: moveHint(context, lab, lab.procs) };
  return {
    pass: false,
    message,
    observed,
    hint: `${lab.name} holds no processes now, so the kernel will accept it: echo "${notEnabled.map((controller) => `+${controller}`).join(' ')}" > ${lab.shown}/${lab.name}/cgroup.subtree_control`,
  };
}

function checkNoInternalProcesses(context: CheckContext): CheckOutcome {
  const lab = existingLab(context);
  // The v2 cgroup of each app, as its /proc/<pid>/cgroup names it (relative to our cgroup namespace root).
  const apps = labProcessesNamed(context, appName).map(({ pid }) => ({ pid, cgroup: readOwnCgroups(context.system, pid)?.find((line) => line.hierarchy === 0)?.path ?? '?' }));
  const observed = { ctrProcesses: lab.procs, app: apps };
  if (lab.procs.length > 0) {
    return { pass: false, message: `${lab.name} holds ${describeProcesses(context, lab.procs)} itself`, observed, hint: moveHint(context, lab, lab.procs) };
  }
  if (apps.length === 0) {
    return {
      pass: false,
      message: `${lab.name} holds no processes, and ${appName}, the process setup left in it, is not running`,
      observed,
      hint: `The repair moves the container's processes, it does not end them. Run isolab start 2.8 to get a fresh ${appName}, then move it into ${lab.name}/init.`,
    };
  }
  const inside = apps.filter((app) => app.cgroup.startsWith(`/${lab.name}/`));
  if (inside.length === 0) {
    const where = apps.map((app) => `pid ${app.pid} in ${app.cgroup}`).join(', ');
    return {
      pass: false,
      message: `${lab.name} holds no processes, but ${appName} left the container: ${where}`,
      observed,
      hint: `A container keeps its processes: move ${appName} into a child of ${lab.name}, e.g. echo ${apps[0]!.pid} > ${lab.shown}/${lab.name}/init/cgroup.procs`,
    };
  }
  return { pass: true, message: `${lab.name} holds no processes itself; ${appName} runs in ${inside.map((app) => app.cgroup).join(', ')}`, observed };
}

function checkLabLimit(context: CheckContext): CheckOutcome {
  const { name, shown } = existingLab(context);
  const limits = `${name}/lab`;
  const shownLab = `${shown}/${limits}`;
  if (!cgroupPids(context, limits)) {
    return { pass: false, message: `${shownLab} does not exist`, hint: `Once ${name} enables memory, make a sibling of init/ for limits: mkdir ${shownLab}` };
  }
  const max = readCgroupFile(context, limits, 'memory.max');
  if (max === undefined) {
    return {
      pass: false,
      message: `${shownLab} has no memory.max file`,
      observed: { controllers: readCgroupFile(context, limits, 'cgroup.controllers') ?? '' },
      hint: `The kernel makes memory.* files in a cgroup only when its parent enables memory: echo +memory > ${shown}/${name}/cgroup.subtree_control (after moving the processes out of ${name}).`,
    };
  }
  if (max === 'max') {
    return { pass: false, message: `${shownLab}/memory.max reads max (no limit)`, observed: { memoryMax: max }, hint: `Write a limit: echo 64M > ${shownLab}/memory.max` };
  }
  return { pass: true, message: `${shownLab}/memory.max reads ${max} (${(Number(max) / 2 ** 20).toFixed(1)} MiB)`, observed: { memoryMax: Number(max) } };
}

/**
 * Makes isolab/ and the container, and has the mount root and isolab/ pass memory and pids down where the kernel
 * lets them. Not CgroupManager.create: it enables controllers one at a time, and in a container whose root
 * holds processes `+pids` alone succeeds there (pids is a threaded controller) and turns the root into a thread
 * root, whose domain children can no longer take processes (EOPNOTSUPP). One write with memory in it fails
 * whole (EBUSY) instead, and leaves that root as the learner's container has it.
 */
function makeCtr(lab: Lab): void {
  try {
    mkdirSync(lab.ctr, { recursive: true });
  } catch (error) {
    throw blockedError(explainCgroupErrno(errnoCode(error), 'create', lab.ctr), 'isolab doctor shows what this machine allows.');
  }
  for (const dir of [lab.mountDir, lab.isolab]) {
    const available = readWords(join(dir, 'cgroup.controllers')) ?? [];
    if (!available.includes('memory')) continue;
    try {
      writeControlFile(join(dir, 'cgroup.subtree_control'), wanted.filter((controller) => available.includes(controller)).map((controller) => `+${controller}`).join(' '));
    } catch (error) {
      // A container's own root holding its processes: the situation one level up, which the checks point out.
      if (errnoCode(error) !== 'EBUSY') throw blockedError(explainCgroupErrno(errnoCode(error), 'enable-controller', join(dir, 'cgroup.subtree_control')), 'isolab doctor shows what this machine allows.');
    }
  }
}

/** Starts the app detached (its own process group: it outlives setup's process groups) and puts it in the container. */
async function startApp(lab: Lab): Promise<void> {
  const pid = await startLabProcess('sleep', ['2147483647'], { argv0: appName });
  try {
    writeControlFile(join(lab.ctr, 'cgroup.procs'), String(pid));
  } catch (error) {
    process.kill(pid, 'SIGKILL');
    throw blockedError(explainCgroupErrno(errnoCode(error), 'attach', join(lab.ctr, 'cgroup.procs')), 'isolab doctor shows what this machine allows.');
  }
}

/** The app (wherever the learner moved it), the container and everything below it, then isolab/ if nothing else lives there. */
async function removeLab(context: CheckContext): Promise<void> {
  await killLabProcesses(context, appName);
  await removeLessonCgroup(context);
}

export default defineChecker({
  checks: [
    { id: 'controllers-enabled', title: 'isolab/ctr enables memory and pids for its children', tag: 'observe', run: async (context) => checkEnabled(context) },
    { id: 'no-internal-processes', title: 'isolab/ctr holds no processes itself; its app still runs in a child', tag: 'observe', run: async (context) => checkNoInternalProcesses(context) },
    { id: 'lab-limit', title: 'isolab/ctr/lab has a memory limit', tag: 'observe', run: async (context) => checkLabLimit(context) },
  ],

  async setup(context) {
    await removeLab(context);
    const lab = labOf(context);
    // Ancestors pass memory and pids down where they may (the real root may while it holds processes; a
    // container's root may not). The container itself enables nothing: that is the learner's part.
    makeCtr(lab);
    await startApp(lab);
  },

  cleanup: removeLab,

  // What the lesson has the learner type.
  async solution(context) {
    const lab = labOf(context);
    const sh = (script: string) => commandOutput(context, 'sh', ['-c', script], 30_000);
    const available = readWords(join(lab.ctr, 'cgroup.controllers')) ?? [];
    if (wanted.some((controller) => !available.includes(controller))) {
      // A container whose own root still holds its processes: the lesson's first repair is at that root.
      const rootEnabled = readWords(join(lab.mountDir, 'cgroup.subtree_control')) ?? [];
      if (wanted.some((controller) => !rootEnabled.includes(controller))) await sh(`"${process.execPath}" "${join(packageRoot(), 'dist/isolab.js')}" doctor --fix --yes`);
      await sh(`echo "+memory +pids" > ${lab.shown}/${dirname(lab.name)}/cgroup.subtree_control`);
    }
    await sh(
      [
        `cd ${lab.shown}/${lab.name}`,
        'mkdir init',
        'for pid in $(cat cgroup.procs); do echo $pid > init/cgroup.procs; done',
        'echo "+memory +pids" > cgroup.subtree_control',
        'mkdir lab',
        `echo ${solutionLimit} > lab/memory.max`,
      ].join(' && '),
    );
  },
});
