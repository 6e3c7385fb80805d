import { basename, dirname } from 'node:path';
import { compileExercise, failCheck, LearnerCodeError, type CheckContext, type CheckOutcome, type CompiledProgram, type ExecResult } from '../verify/index.js';
import { explainFailedRun, type FailedRun } from './failed-run.js';

/** Which learner program a check runs, and how its messages name it. */
export interface LearnerProgramSpec {
  /** The entry under the workspace: `exercises/my-cgroup-tool/main.ts`. */
  entry: string;
  /** How messages call it: `your tool`, `ns-tool`. Default: the entry. */
  name?: string;
  /** How to run it by hand, for the hint after a failed run. Default: `isolab exercise <its directory> …`. */
  byHand?: string;
}

/** The compiled learner program, with the two things every code check does with a run. */
export interface LearnerProgram extends CompiledProgram {
  /**
   * Runs it and returns the result when it exits 0; any other end finishes the check as failed, explained (a TODO
   * left, a run that never ended, its own error). `write` names what the learner has left to write when a TODO
   * is the reason: `setCpuMax in exercises/my-cgroup-tool/cpu.ts`.
   */
  mustRun(args: readonly string[], write?: string, timeoutMs?: number): Promise<ExecResult>;
  /** Why a run did not do its job, as a failed outcome to return or spread (see explainFailedRun). */
  explain(result: ExecResult, write?: string): FailedRun;
}

/**
 * Compiles the learner's program and hands it to `check`. A compile error is the learner's to fix, so it is a
 * failed check with esbuild's first message at its file and line, never a crash. The compiled file is removed
 * when `check` ends.
 */
export async function withLearnerProgram(
  context: CheckContext,
  spec: LearnerProgramSpec | string,
  check: (program: LearnerProgram) => Promise<CheckOutcome>,
): Promise<CheckOutcome> {
  const { entry, name = entry, byHand = `isolab exercise ${basename(dirname(entry))} …` } = typeof spec === 'string' ? { entry: spec } : spec;
  let compiled: CompiledProgram;
  try {
    compiled = await compileExercise(context, entry);
  } catch (error) {
    if (!(error instanceof LearnerCodeError)) throw error;
    return { pass: false, message: `${name} does not compile: ${error.message}`, hint: 'Fix the error esbuild names (file and line), then verify again.' };
  }
  const explain = (result: ExecResult, write = `what the TODO names, in ${dirname(entry)}/`) => explainFailedRun(result, { program: name, write, byHand });
  const program: LearnerProgram = {
    run: (args, timeoutMs) => compiled.run(args, timeoutMs),
    dispose: () => compiled.dispose(),
    explain,
    async mustRun(args, write, timeoutMs) {
      const result = await compiled.run(args, timeoutMs);
      if (result.exitCode !== 0) failCheck({ ...explain(result, write), observed: { args: [...args], exitCode: result.exitCode } });
      return result;
    },
  };
  try {
    return await check(program);
  } finally {
    compiled.dispose();
  }
}
