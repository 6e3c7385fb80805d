import { failedSinceDone, type LessonStatus, type ListEntry } from '../report/index.js';

export interface Mark {
  text: string;
  color: string | undefined;
  dim: boolean;
}

/** The same marks and words as `isolab list`: a symbol and a word, so nothing depends on colour. */
export const statusMarks: Record<LessonStatus, Mark> = {
  done: { text: '✓ done', color: 'green', dim: false },
  'in-progress': { text: '… in progress', color: 'cyan', dim: false },
  available: { text: '· available', color: undefined, dim: false },
  locked: { text: '✗ locked', color: undefined, dim: true },
};

/**
 * The home list's mark. A lesson done earlier whose last verify failed stays done (and counted), marked
 * "✓ done (last ✗)" in yellow; the detail below the list and the lesson's header spell both facts out.
 */
export function listMark(entry: Pick<ListEntry, 'status' | 'lastVerify'>): Mark {
  const failed = failedSinceDone(entry);
  return failed ? { text: failed.compact, color: 'yellow', dim: false } : statusMarks[entry.status];
}
