export { Workbook, ResultNotRecorded, type WorkbookOptions, type VerifyOptions } from './workbook.js';
export { resetLesson, type ResetReport } from './reset.js';
export { hintsOf, lessonAfter, listEntry, recordEvent, type LessonEvent } from './status.js';
export { watchFiles, type FileWatcher } from './file-watcher.js';
export {
  LessonChecks,
  watchPlan,
  watchDebounceMs,
  watchPollMs,
  type LessonChecksOptions,
  type RunListener,
  type RunReason,
  type RunSource,
  type WatchPlan,
} from './lesson-checks.js';
