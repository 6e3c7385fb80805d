/**
 * Lesson 3.4's evidence of a lifecycle: the container's program is a heartbeat, `echo started`, then the time
 * (`date +%s`) once a second, and its output is the log the learner's `runc create` hands it (runc's detached
 * pass-through: runc's own stdio becomes the container's, docs/terminals.md of runc). The kernel's clock, as the
 * container saw it, then says what happened to the container: it ran (beats), it was frozen (a gap: a paused
 * container's tasks do not run), it was stopped (the beats end).
 */

/** The program of lesson 3.4, as its Step 1 writes it into config.json. */
export const heartbeatArgs = ['sh', '-c', 'echo started; while :; do date +%s; sleep 1; done'];

/** One run of the program: what followed one `started` line. */
export interface HeartbeatRun {
  /** The seconds (`date +%s`) it printed, in order. */
  beats: number[];
}

/** The runs in a log; lines that are neither a marker nor a time (an error message, say) are left out. */
export function parseHeartbeat(text: string): HeartbeatRun[] {
  const runs: HeartbeatRun[] = [];
  for (const line of text.split('\n').map((entry) => entry.trim())) {
    if (line === 'started') runs.push({ beats: [] });
    else if (/^\d+$/.test(line) && runs.length > 0) runs.at(-1)!.beats.push(Number(line));
  }
  return runs;
}

/** The longest time between two beats of a run that has beats after it: a pause that was resumed. */
export function longestResumedPause(run: HeartbeatRun): number {
  let longest = 0;
  for (let index = 1; index < run.beats.length; index++) longest = Math.max(longest, run.beats[index]! - run.beats[index - 1]!);
  return longest;
}
