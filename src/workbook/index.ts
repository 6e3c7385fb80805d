export { Workbook, type WorkbookOptions, type VerifyOptions } from './workbook.js';
export { resetLesson, type ResetReport } from './reset.js';
