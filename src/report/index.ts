export * from './documents.js';
export { courseCount, failedSinceDone, type CourseCount, type FailedSinceDone } from './list-words.js';
export { formatVerify, formatVerifyAll, formatCheck, formatWatchRun } from './human.js';
export { toJUnit } from './junit.js';
export { signResult, checkSignature, canonicalJson } from './signature.js';
export { mergeReports, readResultFile, formatReportTable, reportCsv, reportHtml, reportJson, type MergedReport } from './merge.js';
export { showControls } from './safe-text.js';
