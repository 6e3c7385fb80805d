export * from './documents.js';
export { courseCount, failedSinceDone, type CourseCount, type FailedSinceDone } from './list-words.js';
export { formatVerify, formatVerifyAll, formatCheck, formatWatchRun } from './human.js';
export { toJUnit } from './junit.js';
export { signResult, checkSignature, canonicalJson } from './signature.js';
export { mergeReports, formatReportTable, reportCsv, reportHtml, reportJson, type MergedReport } from './merge.js';
export { readResultFile, type ResultFile } from './result-file.js';
export { showControls } from './safe-text.js';
