// The checker kit: what every lesson's checker needs, so a checker reads as the lesson's checks and nothing else.
// It reads the system only through `context.system` and runs programs only through `context.exec` (or, for a
// lab process that must outlive the check, `startLabProcess`). Checkers import from here alone where they can.

// The learner's program: compile and run it, say why a run failed, write the reference solution.
export { withLearnerProgram, type LearnerProgram, type LearnerProgramSpec } from './learner-program.js';
export { explainFailedRun, todoLeft, type FailedRun, type RunnerWords } from './failed-run.js';
export { writeSolution, writeSolutionFaking, type SolutionFiles } from './solution.js';
// Commands and the machine: waits, command results, files under context.system.
export { waitFor, waitUntil } from './wait.js';
export { whatFailed, commandJson } from './command-result.js';
export { systemPath, readSystemText, readSystemLink } from './system-files.js';
// Lab state: processes by argv[0], namespaces, cgroups, loop devices.
export { labProcessesNamed, killLabProcesses } from './lab-processes.js';
export { startLabProcess, type LabProcessOptions } from '../lab/index.js';
export { namespacesOf, sharedWithIsolab, netnsFile, processRootIs } from './namespaces.js';
export { labCgroup, labCgroups, freshLabCgroup, removeLabCgroup, removeLabCgroupIfEmpty, removeLessonCgroup } from './lab-cgroup.js';
export { readCgroupFile, readCgroupCounters, cgroupPids } from './cgroup-files.js';
export { cgroup2Mount, cgroup2Path, type Cgroup2Mount } from './cgroup2-mount.js';
export { runInCgroup, startInCgroup } from './cgroup-process.js';
export { loopDevices, labLoopDevices, type LoopDevice } from './loop-devices.js';
// Quiz answers, and what a checker needs from verify, through the same door.
export { yesNo, sameYesNo, sameWithSynonyms, sameNumber, parseJsonObject } from './answers.js';
export {
  answerEveryQuestion,
  commandOutput,
  defineChecker,
  failCheck,
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
// Namespace lessons: the learner's marked lab process in namespaces of its own, named network namespaces, taking
// a lab's mounts and empty directories away, and the command a learner's launcher (container, jail) runs.
export {
  inNamespacesOf,
  inNamespacesOfEach,
  inOwnNamespace,
  labPidsInOwnNamespace,
  notRunning,
  ownNamespaceCheck,
  requireLabProcesses,
  requireOwnNamespace,
  startLabProcessCalled,
  type NamedLabProcess,
} from './namespace-lab.js';
export { fallbackTunnels, freshNetns, linksIn, pingFrom, removeNetns, requireNetns, routeFrom, type IpLink, type Ping } from './netns.js';
export { unmountUnder } from './mounts.js';
export { removeEmptyDirs } from './empty-dirs.js';
export { killLaunched, launchedPids, withLaunchedCommand, type Launch } from './launched-command.js';
