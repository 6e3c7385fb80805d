export * from './documents.js';
export { courseCount, failedSinceDone, type CourseCount, type FailedSinceDone } from './list-words.js';
export { formatVerify, formatVerifyAll, formatCheck, formatWatchRun } from './human.js';
export { toJUnit } from './junit.js';
export { signResult, checkSignature, canonicalJson } from './signature.js';
export type { MergedReport } from './merge.js';
export type { ResultFile } from './result-file.js';

/** The class report (`class-report.ts`), loaded when `isolab report` runs: its schemas stay off every other command's start-up. */
export const loadClassReport = () => import('./class-report.js');
