export { cleanLabState, findLabState, goneBetween, itemKey, processItemName, removeCgroupTree, type CleanReport, type LabItem } from './clean.js';
export { findLabProcesses, startedFor, type LabProcess } from './lab-processes.js';
export { startLabProcess, type LabProcessOptions } from './start.js';
export { isLabName, isLabPath, labCgroupDir, labDirs, labPrefix } from './names.js';
