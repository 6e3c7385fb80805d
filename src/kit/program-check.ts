import type { CheckContext, CheckOutcome } from '../verify/index.js';
import { withLearnerProgram, type LearnerProgram, type LearnerProgramSpec } from './learner-program.js';

/**
 * A check's `run` that works with the learner's compiled program: `run: programCheck(spec, async (program,
 * context) => …)`, the same as calling withLearnerProgram inside it, one level less deep.
 */
export function programCheck(spec: LearnerProgramSpec | string, check: (program: LearnerProgram, context: CheckContext) => Promise<CheckOutcome>): (context: CheckContext) => Promise<CheckOutcome> {
  return (context) => withLearnerProgram(context, spec, (program) => check(program, context));
}
