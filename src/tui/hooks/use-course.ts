import { useCallback, useState } from 'react';
import type { Progress } from '../../progress/index.js';
import type { ListDocument } from '../../report/index.js';
import type { FileWatcher, WorkbookApi } from '../services.js';
import { useWatch } from './use-watch.js';

export interface Course {
  list: ListDocument;
  progress: Progress;
}

export interface CourseSync {
  /** False while the TUI has stepped aside (a shell): it reads again when it comes back. */
  active: boolean;
  watchFiles: FileWatcher;
  /** The fallback when the directory cannot be watched (it does not exist yet, or the filesystem has no events). */
  pollMs?: number;
}

/**
 * The lesson list and the progress, as the workbook reads them, kept true while the learner works in another
 * terminal: `isolab verify` there writes progress.json, and the screen shows it within a second. The store
 * writes a temporary file and renames it over progress.json, so the watch is on the directory (file-watcher.ts),
 * with a poll for when that cannot work. `refresh` after anything this screen changed itself.
 */
export function useCourse(workbook: WorkbookApi, sync: CourseSync): Course & { refresh: () => void } {
  const [course, setCourse] = useState(() => readCourse(workbook));
  const refresh = useCallback(() => {
    let next: Course;
    try {
      next = readCourse(workbook);
    } catch {
      // An unreadable store (a permission changed under us): keep what is shown; the next tick tries again.
      return;
    }
    // The same objects when nothing changed: the poll re-renders nothing, and a lesson's progress keeps its identity.
    setCourse((current) => (sameCourse(current, next) ? current : next));
  }, [workbook]);
  useWatch({ active: sync.active, files: [workbook.store.file], watchFiles: sync.watchFiles, onTrigger: refresh, debounceMs: 50, pollMs: sync.pollMs ?? 1000 });
  return { ...course, refresh };
}

function readCourse(workbook: WorkbookApi): Course {
  return { list: workbook.list(), progress: workbook.store.read() };
}

function sameCourse(a: Course, b: Course): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
