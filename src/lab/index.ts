export { cleanLabState, findLabState, removeCgroupTree, type CleanReport, type LabItem } from './clean.js';
export { isLabName, isLabPath, labCgroupDir, labDirs, labPrefix } from './names.js';
