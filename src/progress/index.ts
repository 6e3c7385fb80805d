export { ProgressStore, emptyProgress, emptyLessonProgress, type Progress, type LessonProgress } from './store.js';
export { withFileLock } from './lock.js';
export { stateHome } from './home.js';
export { learnerOwner } from './ownership.js';
