import type { LessonStatus } from '../report/index.js';

/** The same marks and words as `isolab list`: a symbol and a word, so nothing depends on colour. */
export const statusMarks: Record<LessonStatus, { text: string; color: string | undefined; dim: boolean }> = {
  done: { text: '✓ done', color: 'green', dim: false },
  'in-progress': { text: '… in progress', color: 'cyan', dim: false },
  available: { text: '· available', color: undefined, dim: false },
  locked: { text: '✗ locked', color: undefined, dim: true },
};
