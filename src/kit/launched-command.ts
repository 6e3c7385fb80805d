/**
 * A learner's launcher (a container runtime, a jailer) checked by what it launches: a marker command such as
 * `sleep 7411`, found among all processes by its name and arguments (a busybox applet cannot be renamed), whose
 * pid a check then reads from /proc.
 */
import { failCheck, processesRunning, type CheckContext, type CheckOutcome, type ExecResult } from '../verify/index.js';
import { killLabProcesses } from './lab-processes.js';
import type { LearnerProgram } from './learner-program.js';
import { waitFor } from './wait.js';

export interface Launch {
  /** The launcher's arguments, ending in the marker command it is to launch. */
  args: readonly string[];
  /** The marker command as it runs: `['sleep', '7411']`, an argument nothing else uses. */
  marker: readonly string[];
  /** How the messages call what it launches: `the container`. */
  what: string;
  /** How to run the launcher by hand, for the hint when nothing came up. */
  byHand: string;
  /** What is left to write, when a TODO is why the launcher ended (see LearnerProgram.mustRun). */
  write: string;
  /** A lesson's own reading of a launcher that ended before the marker ran; undefined leaves it to `explain`. */
  ended?: (result: ExecResult) => Omit<CheckOutcome, 'pass'> | undefined;
}

/** The pids of the marker command, wherever it runs. */
export function launchedPids(context: Pick<CheckContext, 'system'>, marker: readonly string[]): number[] {
  return processesRunning(context.system, marker[0]!, marker.slice(1)).map((entry) => entry.pid);
}

/** SIGKILLs the marker commands: pid 1 of a PID namespace ignores SIGTERM sent from outside. */
export async function killLaunched(context: Pick<CheckContext, 'system'>, marker: readonly string[]): Promise<void> {
  await killLabProcesses(context, launchedPids(context, marker));
}

/**
 * Runs the launcher until the marker command runs (at most 15 s), hands the marker's pid to `check`, then kills
 * it and waits for the launcher to end. A launcher that ends first, or a marker that never shows, fails the check,
 * explained.
 */
export async function withLaunchedCommand(context: CheckContext, launcher: LearnerProgram, launch: Launch, check: (pid: number) => Promise<CheckOutcome> | CheckOutcome): Promise<CheckOutcome> {
  await killLaunched(context, launch.marker);
  let finished: ExecResult | undefined;
  const running = launcher.run(launch.args, 30_000).then((result) => (finished = result));
  try {
    const pid = await waitFor(context, launch.what, () => launchedPids(context, launch.marker)[0] ?? (finished ? -1 : undefined), 15_000).catch(() => undefined);
    if (pid !== undefined && pid !== -1) return await check(pid);
    if (!finished) failCheck({ message: `${launch.what} did not start within 15 s`, observed: { exitCode: null }, hint: `Run it by hand: ${launch.byHand}` });
    failCheck({ ...(launch.ended?.(finished) ?? launcher.explain(finished, launch.write)), observed: { exitCode: finished.exitCode } });
  } finally {
    await killLaunched(context, launch.marker);
    await running;
  }
}
