export { cleanLabState, findLabState, goneBetween, itemKey, processItemName, removeCgroupTree, type CleanReport, type LabItem } from './clean.js';
export { checkoutEnvName, withCheckoutMark } from './checkout-mark.js';
export { keepingProcesses, killProcesses, killProcessesNamed, protectedPids } from './kill.js';
export { findLabProcesses, labArgv0Prefix, labEnvName, labMarkerOf, labProcesses, startedFor, type LabProcess } from './lab-processes.js';
export { startLabProcess, type LabProcessOptions } from './start.js';
export { compiledProgramOwner, compiledProgramPrefix, isLabName, isLabPath, labCgroupDir, labDirs, labPrefix } from './names.js';
export { withLessonLab, withPidLock } from './lesson-lock.js';
export { bpfPinRoot, isLabPinPath, labBpfPins, removeBpfPinsNamed } from './bpf-pins.js';
