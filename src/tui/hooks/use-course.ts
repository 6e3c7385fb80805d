import { useCallback, useEffect, useRef, useState } from 'react';
import type { Progress } from '../../progress/index.js';
import type { ListDocument } from '../../report/index.js';
import type { FileWatcher, WorkbookApi } from '../services.js';

export interface Course {
  list: ListDocument;
  progress: Progress;
}

export interface CourseSync {
  /** False while the TUI has stepped aside (a shell): it reads again when it comes back. */
  active: boolean;
  /** Watches progress.json (workbook/file-watcher.ts): its directory, and the file itself once a second. */
  watchFiles: FileWatcher;
}

/** The store writes progress.json in two steps (a temporary file, then a rename): one read per burst. */
const settleMs = 50;

/**
 * The lesson list and the progress, as the workbook reads them, kept true while the learner works in another
 * terminal: `isolab verify` there writes progress.json, and the screen shows it within a second. The file
 * watcher sees the rename (it watches the directory) and, where no event comes (the directory does not exist
 * yet, a filesystem without events), the file's own change on its once-a-second look; the course is read again
 * only then, not on a timer of its own. `refresh` after anything this screen changed itself.
 */
export function useCourse(workbook: WorkbookApi, sync: CourseSync): Course & { refresh: () => void } {
  const [course, setCourse] = useState(() => readCourse(workbook));
  const refresh = useCallback(() => {
    let next: Course;
    try {
      next = readCourse(workbook);
    } catch {
      // An unreadable store (a permission changed under us): keep what is shown; the next change tries again.
      return;
    }
    // The same objects when nothing changed: a lesson's progress keeps its identity.
    setCourse((current) => (sameCourse(current, next) ? current : next));
  }, [workbook]);

  const latest = useRef(refresh);
  latest.current = refresh;
  const { active, watchFiles } = sync;
  const file = workbook.store.file;
  useEffect(() => {
    if (!active) return;
    // Back from a shell: what happened meanwhile was not watched.
    latest.current();
    let settle: NodeJS.Timeout | undefined;
    const stop = watchFiles([file], () => {
      clearTimeout(settle);
      settle = setTimeout(() => latest.current(), settleMs);
    });
    return () => {
      clearTimeout(settle);
      stop();
    };
  }, [active, file, watchFiles]);

  return { ...course, refresh };
}

function readCourse(workbook: WorkbookApi): Course {
  return { list: workbook.list(), progress: workbook.store.read() };
}

function sameCourse(a: Course, b: Course): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
