import { useCallback, useEffect, useRef, useState } from 'react';
import type { LessonProgress } from '../../progress/index.js';
import type { ListDocument } from '../../report/index.js';
import type { FileWatcher, WorkbookApi } from '../services.js';

export interface Course {
  list: ListDocument;
  /** The open lesson's progress (answers, hints, evidence); undefined on the home screen or before any. */
  progress: LessonProgress | undefined;
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
 * The lesson list and the open lesson's progress (`lessonId`), as the workbook reads them, kept true while the
 * learner works in another terminal: `isolab verify` there writes progress.json, and the screen shows it within
 * a second. The file watcher sees the rename (it watches the directory) and, where no event comes (the
 * directory does not exist yet, a filesystem without events), the file's own change on its once-a-second look;
 * the course is read again only then, not on a timer of its own. `refresh` after anything this screen changed
 * itself.
 */
export function useCourse(workbook: WorkbookApi, sync: CourseSync, lessonId?: string): Course & { refresh: () => void } {
  const [course, setCourse] = useState(() => readCourse(workbook, lessonId));
  // Another lesson opened: its progress is read before it is drawn, never the last one's for a frame.
  if (course.lessonId !== lessonId) setCourse(readCourse(workbook, lessonId));
  const refresh = useCallback(() => {
    let next: Course & { lessonId?: string };
    try {
      next = readCourse(workbook, lessonId);
    } catch {
      // An unreadable store (a permission changed under us): keep what is shown; the next change tries again.
      return;
    }
    // The same objects when nothing changed: a lesson's progress keeps its identity.
    setCourse((current) => (sameCourse(current, next) ? current : next));
  }, [workbook, lessonId]);

  const latest = useRef(refresh);
  latest.current = refresh;
  const { active, watchFiles } = sync;
  const file = workbook.progressFile;
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

  return { list: course.list, progress: course.progress, refresh };
}

function readCourse(workbook: WorkbookApi, lessonId: string | undefined): Course & { lessonId?: string } {
  const lesson = lessonId === undefined ? undefined : workbook.catalog.get(lessonId);
  return { list: workbook.list(), progress: lesson && workbook.lessonProgress(lesson), lessonId };
}

function sameCourse(a: Course, b: Course): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
