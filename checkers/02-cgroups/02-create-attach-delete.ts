import { dirname } from 'node:path';
import { cgroup2Path, cgroupPids, defineChecker, freshLabCgroup, killLabProcesses, labCgroup, programCheck, readCgroupFile, readSystemText, removeLabCgroup, removeLessonCgroup, startLabProcess, writeSolution, type CheckContext, type LearnerProgram } from '../../src/kit/index.js';

const myTool = { entry: 'exercises/my-cgroup-tool/main.ts', name: 'your tool' };
const lifecycle = 'exercises/my-cgroup-tool/lifecycle.ts';
/** A child of the lesson's cgroup: create must make (and enable controllers in) each parent on the way down. */
const childOf = (context: CheckContext) => `${labCgroup(context)}/inner`;

/** The child made fresh by isolab, for the checks of attach and delete. */
async function freshChild(context: CheckContext): Promise<string> {
  await freshLabCgroup(context, childOf(context));
  return childOf(context);
}

async function create(tool: LearnerProgram, context: CheckContext) {
  const child = childOf(context);
  await removeLabCgroup(context, labCgroup(context));
  await tool.mustRun(['create', child], `createCgroup in ${lifecycle}`);
  const controllers = readCgroupFile(context, child, 'cgroup.controllers')?.split(' ') ?? null;
  if (controllers === null) return { pass: false, message: `${cgroup2Path(context, child).shown} does not exist after create`, hint: 'mkdir each missing directory on the way down.', observed: { controllers } };
  const missing = ['memory', 'cpu', 'pids'].filter((controller) => !controllers.includes(controller));
  if (missing.length > 0) {
    return { pass: false, message: `${child} exists but lacks ${missing.join(', ')}`, hint: `Each parent must write +${missing[0]} into its cgroup.subtree_control before the child can have ${missing[0]}.max.`, observed: { controllers } };
  }
  const again = await tool.run(['create', child]);
  if (again.exitCode !== 0) return { pass: false, message: 'create fails when the cgroup already exists', hint: 'An existing directory is fine: skip mkdir when it is there.', observed: { exitCode: again.exitCode } };
  return { pass: true, message: `${child} has ${controllers.join(' ')}`, observed: { controllers } };
}

async function attach(tool: LearnerProgram, context: CheckContext) {
  const child = await freshChild(context);
  const pid = await startLabProcess('sleep', ['60'], { argv0: 'isolab-attach-me' });
  try {
    await tool.mustRun(['attach', child, String(pid)], `attachProcess in ${lifecycle}`);
    const where = readSystemText(context, `/proc/${pid}/cgroup`);
    if (where !== `0::/${child}`) return { pass: false, message: `the process is in ${where}`, hint: 'Write the pid (one per write) into the cgroup.procs of the cgroup.', observed: { where } };
    const dead = await tool.run(['attach', child, '99999999']);
    if (dead.exitCode !== 2) return { pass: false, message: `attach of a pid that does not exist exited ${dead.exitCode}`, hint: 'The kernel answers ESRCH: turn that into ToolError(…, 2), bad input.', observed: { exitCode: dead.exitCode } };
    return { pass: true, message: `pid ${pid} is in ${child}; a dead pid is refused (exit 2)`, observed: { where } };
  } finally {
    await killLabProcesses(context, [pid]);
  }
}

async function remove(tool: LearnerProgram, context: CheckContext) {
  const child = await freshChild(context);
  await tool.mustRun(['delete', child], `deleteCgroup in ${lifecycle}`);
  if (cgroupPids(context, child) !== undefined) return { pass: false, message: `${child} is still there`, hint: 'rmdir the cgroup directory.', observed: {} };
  // The lesson cgroup's parent (isolab) still holds the lesson's cgroup: rmdir must refuse it.
  const parent = dirname(labCgroup(context));
  const busy = await tool.run(['delete', parent]);
  if (busy.exitCode === 0) return { pass: false, message: `delete of ${parent} (which has children) succeeded?`, hint: 'rmdir, never a recursive remove.', observed: {} };
  return { pass: true, message: `${child} removed; a cgroup with children is refused (exit ${busy.exitCode})`, observed: { busyExit: busy.exitCode } };
}

export default defineChecker({
  checks: [
    { id: 'create', title: 'create makes the cgroup with memory, cpu and pids', tag: 'experiment', run: programCheck(myTool, create) },
    { id: 'attach', title: 'attach moves a running process in, and refuses a dead pid', tag: 'experiment', run: programCheck(myTool, attach) },
    { id: 'delete', title: 'delete removes an empty cgroup and refuses a busy one', tag: 'experiment', run: programCheck(myTool, remove) },
  ],
  solution: async (context) => writeSolution(context, { from: 'checkers/02-cgroups/solutions/my-cgroup-tool', to: 'exercises/my-cgroup-tool', files: ['lifecycle.ts'] }),
  cleanup: removeLessonCgroup,
});
