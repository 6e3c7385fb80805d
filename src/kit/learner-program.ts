import { compileExercise, LearnerCodeError, type CheckContext, type CheckOutcome, type CompiledProgram } from '../verify/index.js';

/**
 * Compiles the learner's program (an entry under exercises/) and hands it to `check`. A compile error is the
 * learner's to fix, so it is a failed check with esbuild's first message at its file and line, never a crash.
 * The compiled file is removed when `check` ends. `name` is how the messages call the program.
 */
export async function withLearnerProgram(
  context: CheckContext,
  entry: string,
  check: (program: CompiledProgram) => Promise<CheckOutcome>,
  name = entry,
): Promise<CheckOutcome> {
  let program: CompiledProgram;
  try {
    program = await compileExercise(context, entry);
  } catch (error) {
    if (!(error instanceof LearnerCodeError)) throw error;
    return { pass: false, message: `${name} does not compile: ${error.message}`, hint: 'Fix the error esbuild names (file and line), then verify again.' };
  }
  try {
    return await check(program);
  } finally {
    program.dispose();
  }
}
