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
// The cgroup2 tree (v2, or hybrid's unified mount) and a cgroup's id in it: the one id BPF programs see.
export { cgroup2Dir, cgroup2Mount, cgroup2Path, makeCgroup2Dir, type Cgroup2Dir, type Cgroup2Mount } from './cgroup2-mount.js';
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
// OCI bundles and runc: config.json, the bundle's lifecycle, runc's state, a container a check needs running.
export { ociLab, bundleDir, readSpec, writeSpec, bundleSpec, runcTemplate, prepareBundle, removeBundle, type OciSpec } from './oci-bundle.js';
export { changedPaths, strayChanges } from './oci-spec-changes.js';
export { resolveInRootfs } from './oci-rootfs.js';
export { runc, runcSaid, runcOrThrow, containerState, listContainers, waitForStatus, deleteContainer, type ContainerState } from './runc.js';
export { runningContainer, containerCheck, runningCheck, namespaceInodeOf, runDetached } from './runc-container.js';
// Runbook scenarios: a lab cgroup in every mounted hierarchy (v1 and v2 alike), a lab process moved into it, and
// what a scenario broke, kept as salted digests so verify can judge a diagnosis without giving it away.
export { cgroupHierarchies, cgroupDirsEverywhere, removeCgroupEverywhere, type CgroupDir } from './cgroup-hierarchies.js';
export { startInLabCgroup } from './cgroup-process.js';
export { writeScenarioRecord, readScenarioRecord, removeScenarioRecord, type ScenarioRecord } from './scenario-record.js';
// The cgroup lessons' needs: the lesson's cgroup made fresh, control files (nested-keyed, pressure), a learner's
// command that writes one, a kernel count across a load and the program's report of it, the learner's program as a
// check's run, loop devices detached, processes named in a hint, the memory line of /proc/<pid>/cgroup.
export { jsonNumberAt, mustReportKernelFigure, type ReportedFigure } from './reported-figure.js';
export { countAcrossRun, type CountedRun } from './counted-run.js';
export { freshLessonCgroup } from './lab-cgroup.js';
export { readCgroupNestedKeyed, readCgroupPressure, type NestedKeyedLine } from './cgroup-files.js';
export { describeProcesses, processName } from './process-names.js';
export { detachLoopDevices } from './loop-devices.js';
export { programCheck } from './program-check.js';
export { memoryCgroupLine } from './memory-cgroup-line.js';
export { mustRefuseEach, mustSetEach, type ControlFileCommand } from './control-file-command.js';
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
export { bpfPinRoot, bpfPins, removeBpfPins } from './bpf-pins.js';
export { killLaunched, launchedPids, withLaunchedCommand, type Launch } from './launched-command.js';
// The tracing lessons: the learner's bpftrace left running under an isolab name and the file it writes (its lines
// read and waited for, a token matched whole), a solution's tracer started until it sees events, programs named
// per run inside or outside a cgroup, map prints.
export {
  lineHasToken,
  mapPrints,
  markOf,
  parseMapEntry,
  removeTracingLab,
  requireTracer,
  runMarked,
  startTracer,
  traceLength,
  traceLines,
  traceNames,
  traceSince,
  tracerCheck,
  waitForTrace,
  waitForTraceLine,
  withMarkedPrograms,
  type LabTracer,
  type MapEntry,
} from './tracer.js';
// BPF objects from C: vmlinux.h per kernel, a .bpf.c compiled by clang (an error is a failed check at file:line),
// isolab's libbpf loader (src/kit/bpf/isolab-bpf-load.c, built with cc -lbpf on first use) that loads, attaches and
// pins under /sys/fs/bpf/isolab…, the pins of a directory and their removal, the kernel's links.
export {
  assertIsolabPinDir,
  bpfCacheDir,
  bpfLinks,
  bpfLinkTarget,
  bpfLoader,
  bpfLoaderSource,
  bpfObjectSections,
  bpfPinPrefix,
  bpfPinsIn,
  bpfTargetArch,
  loaderArguments,
  mustCompileBpf,
  mustLoadBpf,
  parseLoaderOutput,
  vmlinuxHeaderDir,
  withBpfBuildDir,
  type BpfGlobals,
  type BpfLinkInfo,
  type BpfLinkTarget,
  type BpfMapEntry,
  type LoadedBpf,
} from './bpf-object.js';
