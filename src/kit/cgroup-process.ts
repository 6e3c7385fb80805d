import { startLabProcess } from '../lab/index.js';
import type { CheckContext, ExecResult } from '../verify/index.js';

// The shell joins the cgroup first and then execs the command, so nothing of it ever runs outside the cgroup.
const joinThenExec = 'echo $$ > "$0/cgroup.procs" && exec "$@"';
// The same for a lab process, which keeps its own argv[0] (`exec -a`, a bash word) so checks can find it.
const joinThenExecAs = 'echo $$ > "$0/cgroup.procs" && exec -a "$1" "${@:2}"';

/** Runs `command` inside the cgroup directory `cgroupDir` (a path on this machine) through the check's exec. */
export function runInCgroup(context: Pick<CheckContext, 'exec'>, cgroupDir: string, command: string, args: readonly string[], timeoutMs = 20_000): Promise<ExecResult> {
  return context.exec('sh', ['-c', joinThenExec, cgroupDir, command, ...args], { timeoutMs });
}

/**
 * Starts a long-lived lab process inside the cgroup `cgroupDir`, called `argv0`, that outlives the check (see
 * startLabProcess). Resolves with its pid once it runs; it may still be joining the cgroup then.
 */
export function startInCgroup(cgroupDir: string, argv0: string, command: string, args: readonly string[]): Promise<number> {
  return startLabProcess('bash', ['-c', joinThenExecAs, cgroupDir, argv0, command, ...args]);
}
