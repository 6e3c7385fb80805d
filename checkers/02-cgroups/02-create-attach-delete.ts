import { existsSync, readFileSync } from 'node:fs';
import { killLabProcesses, startLabProcess } from '../../src/kit/index.js';
import { defineChecker } from '../../src/verify/index.js';
import { dirOf, explainRun, freshCgroup, readFile, removeCgroup, removeIfEmpty, withMyTool, writeSolution } from './lib/my-tool.js';

const parent = 'isolab/my-lab';
const child = `${parent}/inner`;

export default defineChecker({
  checks: [
    {
      id: 'create',
      title: 'create makes the cgroup with memory, cpu and pids',
      tag: 'experiment',
      run: (context) =>
        withMyTool(context, async (tool) => {
          await removeCgroup(parent);
          const result = await tool.run(['create', child]);
          if (result.exitCode !== 0) return { pass: false, ...explainRun(result, 'lifecycle.ts', 'createCgroup'), observed: { exitCode: result.exitCode } };
          const controllers = readFile(child, 'cgroup.controllers')?.split(' ') ?? null;
          if (controllers === null) return { pass: false, message: `${dirOf(child)} does not exist after create`, hint: 'mkdir each missing directory on the way down.', observed: { controllers } };
          const missing = ['memory', 'cpu', 'pids'].filter((controller) => !controllers.includes(controller));
          if (missing.length > 0) {
            return { pass: false, message: `${child} exists but lacks ${missing.join(', ')}`, hint: `Each parent must write +${missing[0]} into its cgroup.subtree_control before the child can have ${missing[0]}.max.`, observed: { controllers } };
          }
          const again = await tool.run(['create', child]);
          if (again.exitCode !== 0) return { pass: false, message: 'create fails when the cgroup already exists', hint: 'An existing directory is fine: skip mkdir when it is there.', observed: { exitCode: again.exitCode } };
          return { pass: true, message: `${child} has ${controllers.join(' ')}`, observed: { controllers } };
        }),
    },
    {
      id: 'attach',
      title: 'attach moves a running process in, and refuses a dead pid',
      tag: 'experiment',
      run: (context) =>
        withMyTool(context, async (tool) => {
          await freshCgroup(child);
          const sleeper = { pid: await startLabProcess('sleep', ['60'], { argv0: 'isolab-attach-me' }) };
          try {
            const result = await tool.run(['attach', child, String(sleeper.pid)]);
            if (result.exitCode !== 0) return { pass: false, ...explainRun(result, 'lifecycle.ts', 'attachProcess'), observed: { exitCode: result.exitCode } };
            const where = readFileSync(`/proc/${sleeper.pid}/cgroup`, 'utf8').trim();
            if (where !== `0::/${child}`) return { pass: false, message: `the process is in ${where}`, hint: 'Write the pid (one per write) into the cgroup.procs of the cgroup.', observed: { where } };
            const dead = await tool.run(['attach', child, '99999999']);
            if (dead.exitCode !== 2) return { pass: false, message: `attach of a pid that does not exist exited ${dead.exitCode}`, hint: 'The kernel answers ESRCH: turn that into ToolError(…, 2), bad input.', observed: { exitCode: dead.exitCode } };
            return { pass: true, message: `pid ${sleeper.pid} is in ${child}; a dead pid is refused (exit 2)`, observed: { where } };
          } finally {
            await killLabProcesses(context, [sleeper.pid]);
          }
        }),
    },
    {
      id: 'delete',
      title: 'delete removes an empty cgroup and refuses a busy one',
      tag: 'experiment',
      run: (context) =>
        withMyTool(context, async (tool) => {
          await freshCgroup(child);
          const result = await tool.run(['delete', child]);
          if (result.exitCode !== 0) return { pass: false, ...explainRun(result, 'lifecycle.ts', 'deleteCgroup'), observed: { exitCode: result.exitCode } };
          if (existsSync(dirOf(child))) return { pass: false, message: `${child} is still there`, hint: 'rmdir the cgroup directory.', observed: {} };
          const busy = await tool.run(['delete', parent.replace('/my-lab', '')]);
          if (busy.exitCode === 0) return { pass: false, message: 'delete of isolab (which has children) succeeded?', hint: 'rmdir, never a recursive remove.', observed: {} };
          return { pass: true, message: `${child} removed; a cgroup with children is refused (exit ${busy.exitCode})`, observed: { busyExit: busy.exitCode } };
        }),
    },
  ],
  solution: async (context) => writeSolution(context, ['lifecycle.ts']),
  cleanup: async () => {
    await removeCgroup(parent);
    await removeIfEmpty('isolab');
  },
});
