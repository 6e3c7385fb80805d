import { killProcesses, processesNamed, type CheckContext, type ProcessEntry } from '../verify/index.js';

/** The processes whose argv[0] is `argv0` (`exec -a isolab-uts …`), the newest first: what `pgrep -n` picks. */
export function labProcessesNamed(context: Pick<CheckContext, 'system'>, argv0: string): ProcessEntry[] {
  return processesNamed(context.system, argv0).sort((a, b) => b.pid - a.pid);
}

/**
 * SIGKILLs the lab processes called `argv0` (or these pids) and waits until they are gone; returns the pids it
 * killed. isolab, its ancestors and PID 1 are never among them (refused), nor processes `isolab clean` was told
 * to keep. Throws when one survives SIGKILL (stuck in the kernel): the lab is not clean.
 */
export async function killLabProcesses(context: Pick<CheckContext, 'system'>, target: string | readonly number[]): Promise<number[]> {
  const pids = typeof target === 'string' ? labProcessesNamed(context, target).map((entry) => entry.pid) : [...target];
  const running = await killProcesses(context.system, pids);
  if (running.length > 0) throw new Error(`pid ${running.join(', ')} is still running after SIGKILL`);
  return pids;
}
