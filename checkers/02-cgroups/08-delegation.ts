/**
 * 2.8 Delegation. Setup turns isolab/ctr into what a container's root cgroup is: a cgroup that holds a process
 * and has not enabled any controller for children, so enabling one fails with EBUSY (the no-internal-processes
 * rule, cgroup-v2.rst; kernel-facts §3.1). The learner repairs it with the nesting move (§3.2).
 */
import { mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLabProcess } from '../../src/kit/index.js';
import { CgroupManager, explainCgroupErrno, readOwnCgroups, unifiedMount, writeControlFile } from '../../src/cgroup/index.js';
import { inCgroupNamespace } from '../../src/env/index.js';
import { blockedError, errnoCode } from '../../src/errors/index.js';
import { listNames, packageRoot, pathExists, readText, readTrimmed, readWords, type SystemRoot } from '../../src/system/index.js';
import { defineChecker, type CheckContext, type CheckOutcome } from '../../src/verify/index.js';

const ctrName = 'isolab/ctr';
/** argv[0] of the process setup leaves in isolab/ctr: the stand-in for a container's workload. */
const appName = 'isolab-ctr-app';
const wanted = ['memory', 'pids'] as const;
/** The limit the reference solution sets: 64 MiB. */
const solutionLimit = String(64 * 2 ** 20);

interface Lab {
  /** The cgroup2 mount point as a learner types it (/sys/fs/cgroup). */
  shown: string;
  /** The same on disk (under system.root). */
  mountDir: string;
  isolab: string;
  ctr: string;
  /** The mount's root is a cgroup namespace root (a container), not the machine's real root. */
  namespaceRoot: boolean;
}

function labOf(system: SystemRoot): Lab {
  const mount = unifiedMount(system);
  if (!mount) throw blockedError('no cgroup2 mount found', 'This lesson needs cgroup v2; isolab doctor shows what this machine has.');
  const mountDir = join(system.root, mount.mountPoint);
  return {
    shown: mount.mountPoint,
    mountDir,
    isolab: join(mountDir, 'isolab'),
    ctr: join(mountDir, ctrName),
    namespaceRoot: inCgroupNamespace(system),
  };
}

/** Every process whose argv[0] is the setup's app (there should be one). */
function findApps(system: SystemRoot): number[] {
  return listNames(system.proc)
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => readText(join(system.proc, pid, 'cmdline'))?.split('\0')[0] === appName)
    .map(Number);
}

/** How a process is named in a hint: its argv[0] (the app's is isolab-ctr-app), else its comm. */
function processName(system: SystemRoot, pid: number): string {
  const argv0 = readText(join(system.proc, String(pid), 'cmdline'))?.split('\0')[0];
  return argv0 || readTrimmed(join(system.proc, String(pid), 'comm')) || '?';
}

/** The v2 cgroup of a process, as /proc/<pid>/cgroup names it (relative to our cgroup namespace root). */
function cgroupOf(system: SystemRoot, pid: number): string | undefined {
  return readOwnCgroups(system, pid)?.find((line) => line.hierarchy === 0)?.path;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 'es'}`;

function describeProcesses(system: SystemRoot, pids: readonly number[]): string {
  const named = pids.slice(0, 3).map((pid) => `${pid} ${processName(system, pid)}`);
  return `${plural(pids.length, 'process')} (pid ${named.join(', ')}${pids.length > 3 ? ', …' : ''})`;
}

/** What stands between isolab/ctr and memory + pids in its cgroup.controllers, as a hint. */
function upstreamHint(system: SystemRoot, lab: Lab, missing: readonly string[]): string {
  const isolabEnabled = readWords(join(lab.isolab, 'cgroup.subtree_control')) ?? [];
  const rootEnabled = readWords(join(lab.mountDir, 'cgroup.subtree_control')) ?? [];
  const rootAvailable = readWords(join(lab.mountDir, 'cgroup.controllers')) ?? [];
  const rootProcs = (readWords(join(lab.mountDir, 'cgroup.procs')) ?? []).map(Number);
  const list = missing.join(' and ');
  const enableInIsolab = `echo "${missing.map((controller) => `+${controller}`).join(' ')}" > ${lab.shown}/isolab/cgroup.subtree_control`;
  if (missing.some((controller) => !rootAvailable.includes(controller))) {
    return `isolab/ctr cannot get ${list}: ${lab.shown}/cgroup.controllers does not list ${missing.length === 1 ? 'it' : 'them'}, so whoever set up this machine did not delegate ${missing.length === 1 ? 'it' : 'them'} here. isolab doctor says what can be done about that.`;
  }
  if (missing.every((controller) => rootEnabled.includes(controller))) {
    return `isolab/ctr lists no ${list} in its cgroup.controllers because its parent isolab/ has not enabled ${missing.length === 1 ? 'it' : 'them'} (isolab/cgroup.subtree_control reads "${isolabEnabled.join(' ')}"). isolab/ holds no processes, so this works: ${enableInIsolab}`;
  }
  if (lab.namespaceRoot && rootProcs.length > 0) {
    return `isolab/ctr has no ${list} to enable: they stop at this container's own root cgroup ${lab.shown}, which holds ${describeProcesses(system, rootProcs)} and so cannot enable them for isolab/ either (the same rule, one level up). Repair the root first with the same move: isolab doctor --fix (it moves those processes into ${lab.shown}/init). Then: ${enableInIsolab}`;
  }
  return `isolab/ctr has no ${list} to enable: ${lab.shown}/cgroup.subtree_control reads "${rootEnabled.join(' ')}". Run isolab start 2.8 again to rebuild the lab.`;
}

function moveHint(system: SystemRoot, lab: Lab, pids: readonly number[]): string {
  const first = pids[0]!;
  return `isolab/ctr still holds ${describeProcesses(system, pids)}, so it cannot enable controllers for children (no internal processes): move ${pids.length === 1 ? 'it' : 'them'} into a child first: mkdir ${lab.shown}/isolab/ctr/init; echo ${first} > ${lab.shown}/isolab/ctr/init/cgroup.procs${pids.length > 1 ? ' (one pid per write, for each)' : ''}`;
}

const missingLab = (lab: Lab): CheckOutcome => ({
  pass: false,
  message: `${lab.shown}/isolab/ctr does not exist`,
  hint: 'The lesson\'s "container" is made by setup: run isolab start 2.8.',
});

function checkEnabled(context: CheckContext): CheckOutcome {
  const lab = labOf(context.system);
  if (!pathExists(join(lab.ctr, 'cgroup.procs'))) return missingLab(lab);
  const enabled = readWords(join(lab.ctr, 'cgroup.subtree_control')) ?? [];
  const available = readWords(join(lab.ctr, 'cgroup.controllers')) ?? [];
  const procs = (readWords(join(lab.ctr, 'cgroup.procs')) ?? []).map(Number);
  const observed = { subtreeControl: enabled.join(' '), controllers: available.join(' '), processes: procs.length };
  const notEnabled = wanted.filter((controller) => !enabled.includes(controller));
  if (notEnabled.length === 0) {
    return { pass: true, message: `isolab/ctr/cgroup.subtree_control reads "${enabled.join(' ')}"`, observed };
  }
  const message = `isolab/ctr/cgroup.subtree_control reads "${enabled.join(' ')}": ${notEnabled.join(' and ')} not enabled`;
  const unavailable = notEnabled.filter((controller) => !available.includes(controller));
  if (unavailable.length > 0) return { pass: false, message, observed, hint: upstreamHint(context.system, lab, unavailable) };
  if (procs.length > 0) return { pass: false, message, observed, hint: moveHint(context.system, lab, procs) };
  return {
    pass: false,
    message,
    observed,
    hint: `isolab/ctr holds no processes now, so the kernel will accept it: echo "${notEnabled.map((controller) => `+${controller}`).join(' ')}" > ${lab.shown}/isolab/ctr/cgroup.subtree_control`,
  };
}

function checkNoInternalProcesses(context: CheckContext): CheckOutcome {
  const { system } = context;
  const lab = labOf(system);
  if (!pathExists(join(lab.ctr, 'cgroup.procs'))) return missingLab(lab);
  const procs = (readWords(join(lab.ctr, 'cgroup.procs')) ?? []).map(Number);
  const apps = findApps(system).map((pid) => ({ pid, cgroup: cgroupOf(system, pid) ?? '?' }));
  const observed = { ctrProcesses: procs, app: apps };
  if (procs.length > 0) {
    return { pass: false, message: `isolab/ctr holds ${describeProcesses(system, procs)} itself`, observed, hint: moveHint(system, lab, procs) };
  }
  if (apps.length === 0) {
    return {
      pass: false,
      message: `isolab/ctr holds no processes, and ${appName}, the process setup left in it, is not running`,
      observed,
      hint: `The repair moves the container's processes, it does not end them. Run isolab start 2.8 to get a fresh ${appName}, then move it into isolab/ctr/init.`,
    };
  }
  const inside = apps.filter((app) => app.cgroup.startsWith('/isolab/ctr/'));
  if (inside.length === 0) {
    const where = apps.map((app) => `pid ${app.pid} in ${app.cgroup}`).join(', ');
    return {
      pass: false,
      message: `isolab/ctr holds no processes, but ${appName} left the container: ${where}`,
      observed,
      hint: `A container keeps its processes: move ${appName} into a child of isolab/ctr, e.g. echo ${apps[0]!.pid} > ${lab.shown}/isolab/ctr/init/cgroup.procs`,
    };
  }
  return {
    pass: true,
    message: `isolab/ctr holds no processes itself; ${appName} runs in ${inside.map((app) => app.cgroup).join(', ')}`,
    observed,
  };
}

function checkLabLimit(context: CheckContext): CheckOutcome {
  const lab = labOf(context.system);
  if (!pathExists(join(lab.ctr, 'cgroup.procs'))) return missingLab(lab);
  const labDir = join(lab.ctr, 'lab');
  const shownLab = `${lab.shown}/isolab/ctr/lab`;
  if (!pathExists(join(labDir, 'cgroup.procs'))) {
    return { pass: false, message: `${shownLab} does not exist`, hint: `Once isolab/ctr enables memory, make a sibling of init/ for limits: mkdir ${shownLab}` };
  }
  const max = readTrimmed(join(labDir, 'memory.max'));
  if (max === undefined) {
    return {
      pass: false,
      message: `${shownLab} has no memory.max file`,
      observed: { controllers: readTrimmed(join(labDir, 'cgroup.controllers')) ?? '' },
      hint: `The kernel makes memory.* files in a cgroup only when its parent enables memory: echo +memory > ${lab.shown}/isolab/ctr/cgroup.subtree_control (after moving the processes out of isolab/ctr).`,
    };
  }
  if (max === 'max') {
    return { pass: false, message: `${shownLab}/memory.max reads max (no limit)`, observed: { memoryMax: max }, hint: `Write a limit: echo 64M > ${shownLab}/memory.max` };
  }
  return { pass: true, message: `${shownLab}/memory.max reads ${max} (${(Number(max) / 2 ** 20).toFixed(1)} MiB)`, observed: { memoryMax: Number(max) } };
}

/**
 * Makes isolab/ and isolab/ctr, and has the mount root and isolab/ pass memory and pids down where the kernel
 * lets them. Not CgroupManager.create: it enables controllers one at a time, and in a container whose root
 * holds processes `+pids` alone succeeds there (pids is a threaded controller) and turns the root into a thread
 * root, whose domain children can no longer take processes (EOPNOTSUPP). One write with memory in it fails
 * whole (EBUSY) instead, and leaves that root as the learner's container has it.
 */
function makeCtr(lab: Lab): void {
  for (const dir of [lab.isolab, lab.ctr]) {
    try {
      mkdirSync(dir);
    } catch (error) {
      const code = errnoCode(error);
      if (code !== 'EEXIST') throw blockedError(explainCgroupErrno(code, 'create', dir), 'isolab doctor shows what this machine allows.');
    }
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

/** Starts the app detached (its own process group: it outlives setup's process groups) and puts it in isolab/ctr. */
async function startApp(lab: Lab): Promise<number> {
  const pid = await startLabProcess('sleep', ['2147483647'], { argv0: appName });
  try {
    writeControlFile(join(lab.ctr, 'cgroup.procs'), String(pid));
  } catch (error) {
    process.kill(pid, 'SIGKILL');
    throw blockedError(explainCgroupErrno(errnoCode(error), 'attach', join(lab.ctr, 'cgroup.procs')), 'isolab doctor shows what this machine allows.');
  }
  return pid;
}

function killApps(system: SystemRoot): void {
  for (const pid of findApps(system)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

/** isolab/ctr and everything below it (killing what runs there), then isolab/ if nothing else lives in it. */
async function removeLab(system: SystemRoot): Promise<void> {
  killApps(system);
  const lab = labOf(system);
  const manager = new CgroupManager(system);
  if (pathExists(join(lab.ctr, 'cgroup.procs'))) await manager.delete(ctrName, { kill: true });
  for (let attempt = 0; attempt < 20 && findApps(system).length > 0; attempt++) await sleep(25);
  try {
    rmdirSync(lab.isolab);
  } catch (error) {
    // Another lesson's cgroups (EBUSY), or no isolab/ at all (ENOENT): either way, not ours to remove.
    if (!['EBUSY', 'ENOENT', 'ENOTEMPTY'].includes(errnoCode(error) ?? '')) throw error;
  }
}

async function shell(context: CheckContext, script: string): Promise<string> {
  const result = await context.exec('sh', ['-c', script], { timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new Error(`${script.split('\n')[0]}…: ${(result.stderr || result.spawnError || `exit ${result.exitCode}`).trim()}`);
  return result.stdout;
}

export default defineChecker({
  checks: [
    { id: 'controllers-enabled', title: 'isolab/ctr enables memory and pids for its children', tag: 'observe', run: async (context) => checkEnabled(context) },
    {
      id: 'no-internal-processes',
      title: 'isolab/ctr holds no processes itself; its app still runs in a child',
      tag: 'observe',
      run: async (context) => checkNoInternalProcesses(context),
    },
    { id: 'lab-limit', title: 'isolab/ctr/lab has a memory limit', tag: 'observe', run: async (context) => checkLabLimit(context) },
  ],

  async setup(context) {
    const { system } = context;
    await removeLab(system);
    const lab = labOf(system);
    // Ancestors pass memory and pids down where they may (the real root may while it holds processes; a
    // container's root may not). isolab/ctr itself enables nothing: that is the learner's part.
    makeCtr(lab);
    await startApp(lab);
  },

  async cleanup(context) {
    await removeLab(context.system);
  },

  // What the lesson has the learner type.
  async solution(context) {
    const lab = labOf(context.system);
    const mount = lab.shown;
    const available = readWords(join(lab.ctr, 'cgroup.controllers')) ?? [];
    if (wanted.some((controller) => !available.includes(controller))) {
      // A container whose own root still holds its processes: the lesson's first repair is at that root.
      const rootEnabled = readWords(join(lab.mountDir, 'cgroup.subtree_control')) ?? [];
      if (wanted.some((controller) => !rootEnabled.includes(controller))) {
        await shell(context, `"${process.execPath}" "${join(packageRoot(), 'dist/isolab.js')}" doctor --fix --yes`);
      }
      await shell(context, `echo "+memory +pids" > ${mount}/isolab/cgroup.subtree_control`);
    }
    await shell(
      context,
      [
        `cd ${mount}/isolab/ctr`,
        'mkdir init',
        'for pid in $(cat cgroup.procs); do echo $pid > init/cgroup.procs; done',
        'echo "+memory +pids" > cgroup.subtree_control',
        'mkdir lab',
        `echo ${solutionLimit} > lab/memory.max`,
      ].join(' && '),
    );
  },
});
