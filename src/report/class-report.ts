// The class report: result files read as hostile, merged into the table, CSV, HTML and JSON. Loaded by
// `loadClassReport` (index.ts) when `isolab report` runs, so its schemas stay off every other command's start-up.
export { mergeReports, formatReportTable, reportCsv, reportHtml, reportJson } from './merge.js';
export { readResultFile } from './result-file.js';
export { showControls } from './safe-text.js';
