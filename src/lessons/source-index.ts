// Source-tree stand-in for the build's `isolab:lesson-index` module (tests and tsx runs read the Markdown).
import { packageRoot } from '../system/index.js';
import { loadLessons } from './load.js';

export const lessonIndex = loadLessons(packageRoot());
