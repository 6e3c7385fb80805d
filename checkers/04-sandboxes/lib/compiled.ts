// What the code lessons of track 04 share: compile the learner's program and explain a failed run.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../src/system/index.js';
import { compileExercise, LearnerCodeError, type CheckContext, type CheckOutcome, type CompiledProgram, type ExecResult } from '../../../src/verify/index.js';

/** Compiles an exercise entry and hands it to `check`; a compile error is a failed check, with esbuild's words. */
export async function withProgram(context: CheckContext, entry: string, check: (program: CompiledProgram) => Promise<CheckOutcome>): Promise<CheckOutcome> {
  let program: CompiledProgram;
  try {
    program = await compileExercise(context, entry);
  } catch (error) {
    if (!(error instanceof LearnerCodeError)) throw error;
    return { pass: false, message: `${entry} does not compile: ${error.message}`, hint: 'Fix the error esbuild names (file and line), then verify again.' };
  }
  try {
    return await check(program);
  } finally {
    program.dispose();
  }
}

/** What to say when the learner's program failed: a TODO left, or its own error. */
export function explainRun(result: ExecResult, dir: string): { message: string; hint: string } {
  const said = (result.stderr || result.stdout).trim().split('\n').find((line) => line.trim()) ?? '';
  const todo = /TODO\(([^)]*)\): (.*)/.exec(said);
  if (todo) return { message: `not written yet: TODO(${todo[1]}): ${todo[2]}`, hint: `Write that function in exercises/${dir}/ (it throws the TODO until you do).` };
  if (result.timedOut) return { message: 'your program did not finish in time', hint: 'Something in it waits forever; run it by hand to see where.' };
  return { message: `your program exited ${result.exitCode}: ${said}`, hint: `Run it by hand: isolab exercise ${dir}, and read the error.` };
}

/** The reference solution: a complete copy of the lesson's files, written into the workspace. */
export function writeSolution(context: CheckContext, dir: string, files: readonly string[]): void {
  for (const file of files) copyFileSync(join(packageRoot(), 'checkers/04-sandboxes/solutions', dir, file), join(context.workspace, 'exercises', dir, file));
}

export function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Polls `probe` until it gives a value, the time is up, or the check is aborted. */
export async function waitFor<T>(context: CheckContext, what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline || context.signal.aborted) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
