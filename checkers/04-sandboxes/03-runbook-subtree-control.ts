/**
 * 4.3 Runbook: controllers missing from subtree_control. Setup builds the lesson's cgroup (isolab/rb3/svc) with a
 * running service (isolab-rb3-svc) in it, and has its parent isolab/rb3 enable pids but not memory for its
 * children, so the leaf has pids.max and no memory.max. The learner walks up the tree comparing
 * cgroup.controllers with cgroup.subtree_control, enables memory where it stops, and sets the limit. cgroup v2 only.
 */
import { dirname, join } from 'node:path';
import { readOwnCgroups } from '../../src/cgroup/index.js';
import { blockedError } from '../../src/errors/index.js';
import { cgroup2Path, commandOutput, defineChecker, killLabProcesses, labCgroup, labCgroups, labProcessesNamed, readCgroupFile, removeCgroupEverywhere, startInLabCgroup, type CheckContext, type CheckOutcome } from '../../src/kit/index.js';
import { pathExists } from '../../src/system/index.js';

const serviceName = 'isolab-rb3-svc';
/** The limit the reference solution sets: 256 MiB. */
const solutionLimit = String(256 * 2 ** 20);

/** The words of a control file (cgroup.controllers, cgroup.subtree_control); none when it is absent. */
const wordsOf = (context: CheckContext, cgroup: string, file: string) => (readCgroupFile(context, cgroup, file) ?? '').split(/\s+/).filter(Boolean);

/**
 * Walks from the mount root down to the service's parent and names the first cgroup that has memory in
 * cgroup.controllers but not in cgroup.subtree_control (where the chain breaks), or the first that does not even
 * have it.
 */
function diagnose(context: CheckContext): string {
  const parts = labCgroup(context).split('/').slice(0, -1);
  const levels = ['', ...parts.map((_, depth) => parts.slice(0, depth + 1).join('/'))];
  for (const level of levels) {
    const { shown } = cgroup2Path(context, level);
    const available = wordsOf(context, level, 'cgroup.controllers');
    const enabled = wordsOf(context, level, 'cgroup.subtree_control');
    if (!available.includes('memory')) {
      return `${shown}/cgroup.controllers reads "${available.join(' ')}": memory does not even reach ${level || 'the root'}; fix the level above first (isolab doctor).`;
    }
    if (!enabled.includes('memory')) {
      const procs = wordsOf(context, level, 'cgroup.procs');
      const busy = level && procs.length > 0 ? ` It holds processes (${procs.join(' ')}), so move them into a child first.` : '';
      return `${shown} has memory in cgroup.controllers but not in cgroup.subtree_control ("${enabled.join(' ')}"): it does not pass memory down.${busy} echo +memory > ${shown}/cgroup.subtree_control`;
    }
  }
  return `Every level passes memory down; read ${cgroup2Path(context, labCgroup(context)).shown}/cgroup.controllers again.`;
}

function checkMemoryFile(context: CheckContext): CheckOutcome {
  const svc = labCgroup(context);
  const leaf = cgroup2Path(context, svc);
  if (!pathExists(join(leaf.dir, 'cgroup.procs'))) return { pass: false, message: `${leaf.shown} does not exist`, hint: `The scenario is made by setup: isolab start ${context.lesson.short}.` };
  const controllers = wordsOf(context, svc, 'cgroup.controllers').join(' ');
  const observed = { controllers, parentSubtreeControl: wordsOf(context, dirname(svc), 'cgroup.subtree_control').join(' ') };
  if (pathExists(join(leaf.dir, 'memory.max'))) return { pass: true, message: `${leaf.shown} has memory.max (controllers: ${controllers})`, observed };
  return { pass: false, message: `${leaf.shown} has no memory.max; its cgroup.controllers reads "${controllers}"`, observed, hint: diagnose(context) };
}

function checkLimit(context: CheckContext): CheckOutcome {
  const svc = labCgroup(context);
  const shown = `${cgroup2Path(context, svc).shown}/memory.max`;
  const max = readCgroupFile(context, svc, 'memory.max');
  if (max === undefined) return { pass: false, message: `${shown} does not exist`, hint: 'First make the file appear (the check above says where memory stops).' };
  if (max === 'max') return { pass: false, message: `${shown} reads max (no limit)`, observed: { memoryMax: max }, hint: `Set the service's limit: echo 256M > ${shown}` };
  return { pass: true, message: `${shown} reads ${max} (${(Number(max) / 2 ** 20).toFixed(1)} MiB)`, observed: { memoryMax: Number(max) } };
}

function checkService(context: CheckContext): CheckOutcome {
  const svc = labCgroup(context);
  const services = labProcessesNamed(context, serviceName).map(({ pid }) => ({ pid, cgroup: readOwnCgroups(context.system, pid)?.find((line) => line.hierarchy === 0)?.path ?? '?' }));
  const observed = { services };
  if (services.length === 0) {
    return { pass: false, message: `${serviceName} is not running`, observed, hint: `The repair must not stop the service: nothing in it needs a restart. isolab start ${context.lesson.short} makes a fresh one.` };
  }
  const inLeaf = services.filter((entry) => entry.cgroup === `/${svc}`);
  if (inLeaf.length === 0) {
    return {
      pass: false,
      message: `${serviceName} runs, but in ${services.map((entry) => entry.cgroup).join(', ')}, not in /${svc}`,
      observed,
      hint: `The limit is meant for the service: put it back, echo ${services[0]!.pid} > ${cgroup2Path(context, svc).shown}/cgroup.procs`,
    };
  }
  return { pass: true, message: `${serviceName} (pid ${inLeaf.map((entry) => entry.pid).join(', ')}) still runs in /${svc}`, observed };
}

async function removeLab(context: CheckContext): Promise<void> {
  await killLabProcesses(context, serviceName);
  await removeCgroupEverywhere(context, dirname(labCgroup(context)));
}

export default defineChecker({
  checks: [
    { id: 'memory-file', title: 'the service cgroup isolab/rb3/svc has memory.max', tag: 'observe', run: async (context) => checkMemoryFile(context) },
    { id: 'memory-limit', title: 'isolab/rb3/svc has a memory limit set', tag: 'observe', run: async (context) => checkLimit(context) },
    { id: 'service-running', title: `${serviceName} still runs in isolab/rb3/svc`, tag: 'observe', run: async (context) => checkService(context) },
  ],

  async setup(context) {
    await removeLab(context);
    const svc = labCgroup(context);
    const cgroups = labCgroups(context);
    // Memory and pids reach the service's parent from the root down...
    const { unavailable } = cgroups.create(dirname(svc), ['memory', 'pids']);
    if (unavailable.length > 0) {
      throw blockedError(`memory or pids does not reach ${dirname(svc)}: ${unavailable.map((entry) => entry.reason).join('; ')}`, 'This lesson needs memory and pids delegated here; isolab doctor says what this machine allows.');
    }
    // ...and the break: the parent passes pids on to the service's cgroup, memory not.
    cgroups.create(svc, ['pids']);
    await startInLabCgroup(context, svc, serviceName, 'sleep', ['2147483647']);
  },

  cleanup: removeLab,

  // What the lesson has the learner type.
  async solution(context) {
    const svc = labCgroup(context);
    await commandOutput(context, 'sh', ['-c', `echo +memory > ${cgroup2Path(context, dirname(svc)).shown}/cgroup.subtree_control && echo ${solutionLimit} > ${cgroup2Path(context, svc).shown}/memory.max`], 30_000);
  },
});
