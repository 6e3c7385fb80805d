export { writeControlFile } from './control-file.js';
export { detectCgroupMode, modeFromMounts, type CgroupMode } from './mode.js';
export {
  cgroupDirectory,
  cgroupMounts,
  parseProcCgroup,
  readOwnCgroups,
  unifiedMount,
  v1Mount,
  type CgroupMembership,
} from './membership.js';
export { explainCgroupErrno, type CgroupOperation } from './errno.js';
export { nestProcesses, type NestingResult } from './nesting.js';
