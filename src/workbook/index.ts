export { Workbook, type WorkbookOptions, type VerifyOptions } from './workbook.js';
export { resetLesson, type ResetReport } from './reset.js';
export { listEntry, recordVerifyResult } from './status.js';
