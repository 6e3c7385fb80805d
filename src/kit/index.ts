// The checker kit: what every lesson's checker needs, so a checker reads as the lesson's checks and nothing else.
// It reads the system only through `context.system` and runs programs only through `context.exec` (or, for a
// lab process that must outlive the check, `startLabProcess`).
export { withLearnerProgram } from './learner-program.js';
export { explainFailedRun, type FailedRun, type RunnerWords } from './failed-run.js';
export { writeSolution, writeSolutionFaking, type SolutionFiles } from './solution.js';
export { waitFor, waitUntil } from './wait.js';
export { labProcessesNamed, killLabProcesses } from './lab-processes.js';
export { labCgroup, labCgroups, freshLabCgroup, removeLabCgroup, removeLabCgroupIfEmpty } from './lab-cgroup.js';
export { cgroup2Mount, type Cgroup2Mount } from './cgroup2-mount.js';
export { runInCgroup, startInCgroup } from './cgroup-process.js';
export { loopDevices, labLoopDevices, type LoopDevice } from './loop-devices.js';
export { yesNo, sameYesNo, sameWithSynonyms, sameNumber, parseJsonObject } from './answers.js';
export { startLabProcess, type LabProcessOptions } from '../lab/index.js';
// What a checker needs from verify, through the same door: one import line per checker.
export {
  answerEveryQuestion,
  commandOutput,
  defineChecker,
  quizCheck,
  sameHex,
  sameText,
  type Check,
  type CheckContext,
  type CheckOutcome,
  type CompiledProgram,
  type ExecResult,
  type QuizQuestion,
  type SolutionContext,
} from '../verify/index.js';
export { systemPath, readSystemText, readSystemLink } from './system-files.js';
