export { ProcessGroups, type ExecOptions, type ExecResult } from '../exec/index.js';
export { runChecks, runLessonStep, defaultCheckTimeoutMs, type RunOptions } from './runner.js';
export { quizCheck, answerEveryQuestion, sameText, sameHex, type QuizQuestion } from './quiz.js';
export * from './types.js';
export { CheckFailed, failCheck } from './check-failed.js';
export { compileExercise, compileLearnerProgram, LearnerCodeError, type CompiledFile, type CompiledProgram } from './learner-code.js';
// What a check reads of processes, and the lab's markers and kill policy, under the names checkers know.
export {
  hasExited,
  listProcesses,
  namespaceInode,
  namespaceOf,
  nsPids,
  parentPid,
  processEnvironment,
  processesNamed,
  processesRunning,
  readProcess,
  statusField,
  type ProcessEntry,
} from '../system/index.js';
export {
  checkoutEnvName,
  keepingProcesses,
  killProcesses,
  killProcessesNamed,
  labArgv0Prefix,
  labEnvName,
  labMarkerOf,
  labProcesses,
  protectedPids,
  withCheckoutMark,
} from '../lab/index.js';
export { commandOutput } from './command-output.js';
