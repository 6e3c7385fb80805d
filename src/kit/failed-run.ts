import type { ExecResult } from '../verify/index.js';

export interface FailedRun {
  pass: false;
  message: string;
  hint: string;
}

export interface RunnerWords {
  /** How the messages call the program: `your tool`, `ns-tool`. */
  program: string;
  /** What is left to write, and where: `setCpuMax in exercises/my-cgroup-tool/cpu.ts`. */
  write: string;
  /** How to run it by hand: `isolab exercise ns-tool $$ "$PPID"`. */
  byHand: string;
}

/**
 * The `TODO(2.4): …` a skeleton's unwritten function throws, if the program's output has one. Quoted, it ends at
 * its closing quote: for an uncaught throw Node prints the source line (`throw new Error("TODO(…): …");`) before
 * the message. A program that prints the message itself (`oci-config: TODO(3.2): set process.args to ["sh"]`) is
 * read to the end of the line, quotes and all.
 */
export function todoLeft(result: ExecResult): string | undefined {
  const match = /(["'`]?)TODO\([^)]*\):?[^\n]*/.exec(`${result.stderr}\n${result.stdout}`);
  if (!match) return undefined;
  const [line, quote] = match;
  return (quote ? line.slice(1).split(quote)[0]! : line).trim();
}

/**
 * Why the learner's program did not do its job, as a failed check: a `TODO(lesson): …` the skeleton still
 * throws, a run that never ended, or the program's own first line of error. Spread it into an outcome to add
 * `observed`: `return { ...explainFailedRun(result, words), observed }`.
 */
export function explainFailedRun(result: ExecResult, words: RunnerWords): FailedRun {
  const todo = todoLeft(result);
  if (todo) return { pass: false, message: `not written yet: ${todo}`, hint: `Write ${words.write} (it throws the TODO until you do).` };
  if (result.timedOut) return { pass: false, message: `${words.program} did not finish in time`, hint: 'Something in it waits forever; run it by hand to see where.' };
  const said = (result.stderr || result.stdout || result.spawnError || '').trim().split('\n').find((line) => line.trim()) ?? '';
  const ended = result.exitCode === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited ${result.exitCode}`;
  return { pass: false, message: `${words.program} ${ended}${said ? `: ${said}` : ''}`, hint: `Run it by hand: ${words.byHand}, and read the error.` };
}
