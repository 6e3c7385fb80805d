/**
 * 4.3 Runbook: controllers missing from subtree_control. Setup builds isolab/rb3/svc with a running service
 * (isolab-rb3-svc) in the leaf, and has isolab/rb3 enable pids but not memory for its children, so the leaf has
 * pids.max and no memory.max. The learner walks up the tree comparing cgroup.controllers with
 * cgroup.subtree_control, enables memory where it stops, and sets the limit. cgroup v2 only.
 */
import { mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLabProcess } from '../../src/kit/index.js';
import { CgroupManager, explainCgroupErrno, readOwnCgroups, unifiedMount, writeControlFile } from '../../src/cgroup/index.js';
import { blockedError, errnoCode } from '../../src/errors/index.js';
import { listNames, pathExists, readText, readTrimmed, readWords, type SystemRoot } from '../../src/system/index.js';
import { defineChecker, type CheckContext, type CheckOutcome } from '../../src/verify/index.js';

const rb3 = 'isolab/rb3';
const svc = 'isolab/rb3/svc';
const serviceName = 'isolab-rb3-svc';
/** The limit the reference solution sets: 256 MiB. */
const solutionLimit = String(256 * 2 ** 20);

interface Lab {
  shown: string;
  mountDir: string;
}

function labOf(system: SystemRoot): Lab {
  const mount = unifiedMount(system);
  if (!mount) throw blockedError('no cgroup2 mount found', 'This lesson needs cgroup v2; isolab doctor shows what this machine has.');
  return { shown: mount.mountPoint, mountDir: join(system.root, mount.mountPoint) };
}

function findServices(system: SystemRoot): number[] {
  return listNames(system.proc)
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => readText(join(system.proc, pid, 'cmdline'))?.split('\0')[0] === serviceName)
    .map(Number);
}

/**
 * Walks from the mount root down to isolab/rb3 and names the first cgroup that has memory in cgroup.controllers
 * but not in cgroup.subtree_control (where the chain breaks), or the first that does not even have it.
 */
function diagnose(lab: Lab): string {
  const levels = ['', 'isolab', rb3];
  for (const level of levels) {
    const dir = join(lab.mountDir, level);
    const shown = level ? `${lab.shown}/${level}` : lab.shown;
    const available = readWords(join(dir, 'cgroup.controllers')) ?? [];
    const enabled = readWords(join(dir, 'cgroup.subtree_control')) ?? [];
    if (!available.includes('memory')) {
      return `${shown}/cgroup.controllers reads "${available.join(' ')}": memory does not even reach ${level || 'the root'}; fix the level above first (isolab doctor).`;
    }
    if (!enabled.includes('memory')) {
      const procs = readWords(join(dir, 'cgroup.procs')) ?? [];
      const busy = level && procs.length > 0 ? ` It holds processes (${procs.join(' ')}), so move them into a child first.` : '';
      return `${shown} has memory in cgroup.controllers but not in cgroup.subtree_control ("${enabled.join(' ')}"): it does not pass memory down.${busy} echo +memory > ${shown}/cgroup.subtree_control`;
    }
  }
  return `Every level passes memory down; read ${lab.shown}/${svc}/cgroup.controllers again.`;
}

function checkMemoryFile(context: CheckContext): CheckOutcome {
  const lab = labOf(context.system);
  const leaf = join(lab.mountDir, svc);
  if (!pathExists(join(leaf, 'cgroup.procs'))) return { pass: false, message: `${lab.shown}/${svc} does not exist`, hint: 'The scenario is made by setup: isolab start 4.3.' };
  const controllers = readWords(join(leaf, 'cgroup.controllers')) ?? [];
  const observed = { controllers: controllers.join(' '), parentSubtreeControl: (readWords(join(lab.mountDir, rb3, 'cgroup.subtree_control')) ?? []).join(' ') };
  if (pathExists(join(leaf, 'memory.max'))) return { pass: true, message: `${lab.shown}/${svc} has memory.max (controllers: ${controllers.join(' ')})`, observed };
  return { pass: false, message: `${lab.shown}/${svc} has no memory.max; its cgroup.controllers reads "${controllers.join(' ')}"`, observed, hint: diagnose(lab) };
}

function checkLimit(context: CheckContext): CheckOutcome {
  const lab = labOf(context.system);
  const file = join(lab.mountDir, svc, 'memory.max');
  const shown = `${lab.shown}/${svc}/memory.max`;
  const max = readTrimmed(file);
  if (max === undefined) return { pass: false, message: `${shown} does not exist`, hint: 'First make the file appear (the check above says where memory stops).' };
  if (max === 'max') return { pass: false, message: `${shown} reads max (no limit)`, observed: { memoryMax: max }, hint: `Set the service's limit: echo 256M > ${shown}` };
  return { pass: true, message: `${shown} reads ${max} (${(Number(max) / 2 ** 20).toFixed(1)} MiB)`, observed: { memoryMax: Number(max) } };
}

function checkService(context: CheckContext): CheckOutcome {
  const { system } = context;
  const services = findServices(system).map((pid) => ({ pid, cgroup: readOwnCgroups(system, pid)?.find((line) => line.hierarchy === 0)?.path ?? '?' }));
  const observed = { services };
  if (services.length === 0) {
    return { pass: false, message: `${serviceName} is not running`, observed, hint: `The repair must not stop the service: nothing in it needs a restart. isolab start 4.3 makes a fresh one.` };
  }
  const inLeaf = services.filter((entry) => entry.cgroup === `/${svc}`);
  if (inLeaf.length === 0) {
    return {
      pass: false,
      message: `${serviceName} runs, but in ${services.map((entry) => entry.cgroup).join(', ')}, not in /${svc}`,
      observed,
      hint: `The limit is meant for the service: put it back, echo ${services[0]!.pid} > ${labOf(system).shown}/${svc}/cgroup.procs`,
    };
  }
  return { pass: true, message: `${serviceName} (pid ${inLeaf.map((entry) => entry.pid).join(', ')}) still runs in /${svc}`, observed };
}

function enable(dir: string, controllers: string): void {
  try {
    writeControlFile(join(dir, 'cgroup.subtree_control'), controllers);
  } catch (error) {
    const code = errnoCode(error);
    // The real root while it holds processes may still enable controllers; a container's root may not.
    if (code !== 'EBUSY') throw blockedError(explainCgroupErrno(code, 'enable-controller', join(dir, 'cgroup.subtree_control')), 'isolab doctor shows what this machine allows.');
  }
}

function makeDir(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = errnoCode(error);
    if (code !== 'EEXIST') throw blockedError(explainCgroupErrno(code, 'create', dir), 'isolab doctor shows what this machine allows.');
  }
}

async function removeLab(system: SystemRoot): Promise<void> {
  for (const pid of findServices(system)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  const lab = labOf(system);
  const manager = new CgroupManager(system);
  if (pathExists(join(lab.mountDir, rb3, 'cgroup.procs'))) await manager.delete(rb3, { kill: true });
  for (let attempt = 0; attempt < 40 && findServices(system).length > 0; attempt++) await sleep(25);
  try {
    rmdirSync(join(lab.mountDir, 'isolab'));
  } catch (error) {
    if (!['EBUSY', 'ENOENT', 'ENOTEMPTY'].includes(errnoCode(error) ?? '')) throw error;
  }
}

async function shell(context: CheckContext, script: string): Promise<void> {
  const result = await context.exec('sh', ['-c', script], { timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new Error(`${script}: ${(result.stderr || result.spawnError || `exit ${result.exitCode}`).trim()}`);
}

export default defineChecker({
  checks: [
    { id: 'memory-file', title: 'the service cgroup isolab/rb3/svc has memory.max', tag: 'observe', run: async (context) => checkMemoryFile(context) },
    { id: 'memory-limit', title: 'isolab/rb3/svc has a memory limit set', tag: 'observe', run: async (context) => checkLimit(context) },
    { id: 'service-running', title: `${serviceName} still runs in isolab/rb3/svc`, tag: 'observe', run: async (context) => checkService(context) },
  ],

  async setup(context) {
    const { system } = context;
    await removeLab(system);
    const lab = labOf(system);
    const isolab = join(lab.mountDir, 'isolab');
    makeDir(isolab);
    const rootAvailable = readWords(join(lab.mountDir, 'cgroup.controllers')) ?? [];
    if (!rootAvailable.includes('memory') || !rootAvailable.includes('pids')) {
      throw blockedError(`${lab.shown}/cgroup.controllers has no memory or pids`, 'This lesson needs memory and pids delegated here; isolab doctor says what this machine allows.');
    }
    enable(lab.mountDir, '+memory +pids');
    enable(isolab, '+memory +pids');
    makeDir(join(lab.mountDir, rb3));
    // The break: isolab/rb3 passes pids on, memory not.
    enable(join(lab.mountDir, rb3), '+pids');
    makeDir(join(lab.mountDir, svc));
    const pid = await startLabProcess('sleep', ['2147483647'], { argv0: serviceName });
    try {
      writeControlFile(join(lab.mountDir, svc, 'cgroup.procs'), String(pid));
    } catch (error) {
      process.kill(pid, 'SIGKILL');
      throw blockedError(explainCgroupErrno(errnoCode(error), 'attach', join(lab.mountDir, svc, 'cgroup.procs')), 'isolab doctor shows what this machine allows.');
    }
  },

  async cleanup(context) {
    await removeLab(context.system);
  },

  // What the lesson has the learner type.
  async solution(context) {
    const { shown } = labOf(context.system);
    await shell(context, `echo +memory > ${shown}/${rb3}/cgroup.subtree_control && echo ${solutionLimit} > ${shown}/${svc}/memory.max`);
  },
});
