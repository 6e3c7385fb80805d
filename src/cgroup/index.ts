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
export { CgroupManager, removeDirectory, type CgroupRunResult, type TreeNode, type CounterChange } from './manager.js';
export { parseLimit, parseBytes, parseCpuMax, parsePids, parseIoMax, formatBytes, limitKeys, v2Value, type Limit, type LimitKey } from './values.js';
export { normaliseName } from './names.js';
export type { CgroupStats, CgroupBackend } from './backend.js';
