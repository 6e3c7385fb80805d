import { processesRunning, type CheckContext, type CheckOutcome, type ExecResult } from '../verify/index.js';
import { killLabProcesses } from './lab-processes.js';
import { waitFor } from './wait.js';

/**
 * The command a check has the learner's launcher run inside its sandbox (`sleep 7412`), with arguments nothing
 * else uses: inside a chroot busybox's sleep cannot be renamed, so the marker is found by its whole command line.
 */
export interface Marker {
  command: string;
  args: readonly string[];
}

/** The host pids of the marker's processes. */
export function markerPids(context: Pick<CheckContext, 'system'>, marker: Marker): number[] {
  return processesRunning(context.system, marker.command, marker.args).map((entry) => entry.pid);
}

/** SIGKILLs the marker's processes: as pid 1 of a PID namespace, the marker ignores SIGTERM sent from outside. */
export async function killMarkers(context: Pick<CheckContext, 'system'>, marker: Marker): Promise<void> {
  await killLabProcesses(context, markerPids(context, marker));
}

/**
 * Starts the launcher (`launch`, whose command is the marker), waits up to `waitMs` for the marker to run and
 * hands its host pid to `check`; then the marker is killed and the launcher awaited, so nothing outlives the
 * check. When the launcher ends before its marker shows, or the marker never shows, `notStarted` says why: with
 * the launcher's result, or with undefined when it was still running at the deadline.
 */
export async function whileMarkerRuns(
  context: Pick<CheckContext, 'system' | 'signal'>,
  marker: Marker,
  launch: () => Promise<ExecResult>,
  check: (pid: number) => CheckOutcome | Promise<CheckOutcome>,
  notStarted: (result: ExecResult | undefined) => CheckOutcome,
  waitMs = 15_000,
): Promise<CheckOutcome> {
  await killMarkers(context, marker);
  let finished: ExecResult | undefined;
  const running = launch().then((result) => (finished = result));
  try {
    const pid = await waitFor(context, 'the marker', () => markerPids(context, marker)[0] ?? (finished ? -1 : undefined), waitMs).catch(() => undefined);
    if (pid === undefined || pid === -1) return notStarted(finished);
    return await check(pid);
  } finally {
    await killMarkers(context, marker);
    await running;
  }
}
