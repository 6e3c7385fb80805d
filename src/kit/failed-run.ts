import type { ExecResult } from '../verify/index.js';

export interface FailedRun {
  pass: false;
  message: string;
  hint: string;
}

export interface RunnerWords {
  /** How the messages call the program: `your tool`, `ns-tool`. */
  program: string;
  /** Where the unwritten code lives, for a TODO left: `exercises/ns-tool/namespaces.ts`. */
  writeIn: string;
  /** How to run it by hand: `isolab exercise ns-tool $$ "$PPID"`. */
  byHand: string;
}

/**
 * Why the learner's program did not do its job, as a failed check: a `TODO(name): …` the skeleton still throws,
 * a run that never ended, or the program's own first line of error. Spread it into an outcome to add `observed`.
 */
export function explainFailedRun(result: ExecResult, words: RunnerWords): FailedRun {
  const said = (result.stderr || result.stdout || result.spawnError || '').trim().split('\n').find((line) => line.trim()) ?? '';
  const todo = /TODO\(([^)]*)\):?\s*(.*)/.exec(said);
  if (todo) {
    return { pass: false, message: `not written yet: TODO(${todo[1]}): ${todo[2]}`, hint: `Write ${todo[1]} in ${words.writeIn} (it throws the TODO until you do).` };
  }
  if (result.timedOut) return { pass: false, message: `${words.program} did not finish in time`, hint: 'Something in it waits forever; run it by hand to see where.' };
  const ended = result.exitCode === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited ${result.exitCode}`;
  return { pass: false, message: `${words.program} ${ended}${said ? `: ${said}` : ''}`, hint: `Run it by hand: ${words.byHand}, and read the error.` };
}
