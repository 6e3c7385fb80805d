import { join } from 'node:path';
import { startLabProcess } from '../lab/index.js';
import { readText } from '../system/index.js';
import { hasExited, killProcesses, readProcess, type CheckContext, type ExecResult } from '../verify/index.js';
import { labCgroups } from './lab-cgroup.js';
import { waitFor } from './wait.js';

// The shell joins the cgroup first and then execs the command, so nothing of it ever runs outside the cgroup.
const joinThenExec = 'echo $$ > "$0/cgroup.procs" && exec "$@"';
// The same for a lab process, which keeps its own argv[0] (`exec -a`, a bash word) so checks can find it.
const joinThenExecAs = 'echo $$ > "$0/cgroup.procs" && exec -a "$1" "${@:2}"';

/** Runs `command` inside the cgroup directory `cgroupDir` (a path on this machine) through the check's exec. */
export function runInCgroup(context: Pick<CheckContext, 'exec'>, cgroupDir: string, command: string, args: readonly string[], timeoutMs = 20_000): Promise<ExecResult> {
  return context.exec('sh', ['-c', joinThenExec, cgroupDir, command, ...args], { timeoutMs });
}

/** How long a lab process may take to join its cgroup and exec under its name (bash's start-up, under TCG too). */
const startTimeoutMs = 20_000;

/**
 * Starts a long-lived lab process inside the cgroup `cgroupDir`, called `argv0`, that outlives the check (see
 * startLabProcess). Resolves with its pid once it is in the cgroup under its name: a clean-up that follows at once
 * must find it by either, or the process would join the cgroup after the clean-up killed what was there, and hold
 * it (rmdir's EBUSY). Throws when it exits first (the cgroup refused it), or, killing it, when it takes longer than
 * 20 s or the check is stopped.
 */
export async function startInCgroup(context: Pick<CheckContext, 'system' | 'signal'>, cgroupDir: string, argv0: string, command: string, args: readonly string[]): Promise<number> {
  const pid = await startLabProcess('bash', ['-c', joinThenExecAs, cgroupDir, argv0, command, ...args]);
  const running = () => {
    const joined = (readText(join(cgroupDir, 'cgroup.procs')) ?? '').split('\n').includes(String(pid));
    if (joined && readProcess(context.system, pid)?.name === argv0) return pid;
    if (hasExited(context.system, pid)) throw new Error(`${argv0} exited before it ran in ${cgroupDir} (could it join the cgroup?)`);
    return undefined;
  };
  try {
    return await waitFor(context, `${argv0} running in ${cgroupDir}`, running, startTimeoutMs);
  } catch (error) {
    await killProcesses(context.system, [pid]);
    throw error;
  }
}

/**
 * Starts a long-lived lab process called `argv0` and moves it into the lab cgroup `name` through isolab's own
 * manager: on cgroup v1 into the cgroup of every hierarchy, where `startInCgroup` joins one directory. A move the
 * kernel refuses kills the process before the error goes on, so a failed setup leaves nothing running.
 */
export async function startInLabCgroup(context: Pick<CheckContext, 'system'>, name: string, argv0: string, command: string, args: readonly string[]): Promise<number> {
  const pid = await startLabProcess(command, args, { argv0 });
  try {
    labCgroups(context).attach(name, pid);
  } catch (error) {
    await killProcesses(context.system, [pid]);
    throw error;
  }
  return pid;
}
