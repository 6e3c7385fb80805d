export { ProcessGroups, type ExecOptions, type ExecResult } from './exec.js';
export { runChecks, runLessonStep, defaultCheckTimeoutMs, type RunOptions } from './runner.js';
export { quizCheck, answerEveryQuestion, sameText, sameHex, type QuizQuestion } from './quiz.js';
export * from './types.js';
export { CheckFailed, failCheck } from './check-failed.js';
export { compileExercise, compileLearnerProgram, LearnerCodeError, type CompiledFile, type CompiledProgram } from './learner-code.js';
export * from './processes.js';
export { commandOutput } from './command-output.js';
export { checkoutEnvName, withCheckoutMark } from './checkout-mark.js';
