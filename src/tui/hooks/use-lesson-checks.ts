import { useEffect, useMemo, useRef, type Dispatch } from 'react';
import type { LessonMeta } from '../../lessons/index.js';
import type { VerifyDocument } from '../../report/index.js';
import { LessonChecks, watchPlan, type RunListener, type WatchPlan } from '../../workbook/index.js';
import { describeError } from '../errors.js';
import type { FileWatcher, WorkbookApi } from '../services.js';
import type { VerifyAction, VerifySource } from './use-verify-state.js';

export interface LessonChecksHook {
  workbook: WorkbookApi;
  lesson: LessonMeta;
  watchFiles: FileWatcher;
  /** Watch is on and the view has the terminal. */
  watching: boolean;
  dispatch: Dispatch<VerifyAction>;
  onFinished: (document: VerifyDocument, source: VerifySource) => void;
}

/**
 * The lesson's check runs (`LessonChecks`, shared with `isolab watch`), fed into the verify state as they
 * happen. `verify` runs every check now, cancelling a watch run in progress; it is false while a verify runs.
 */
export function useLessonChecks({ workbook, lesson, watchFiles, watching, dispatch, onFinished }: LessonChecksHook): { verify: () => boolean; plan: WatchPlan } {
  const finished = useRef(onFinished);
  finished.current = onFinished;
  const watchingNow = useRef(watching);
  watchingNow.current = watching;
  const session = useRef<LessonChecks | undefined>(undefined);

  useEffect(() => {
    // A verify still running when the view goes finishes and is recorded, but no longer drawn.
    let mounted = true;
    const send = (action: VerifyAction) => mounted && dispatch(action);
    const listener: RunListener = {
      start: (source) => send({ type: 'start', source }),
      checkStart: (check) => send({ type: 'check-start', id: check.id, title: check.title }),
      checkEnd: (result) => send({ type: 'check-end', result }),
      finish: (document, source) => {
        send({ type: 'finish', document });
        if (mounted) finished.current(document, source);
      },
      cancel: () => send({ type: 'cancel' }),
      crash: (error) => send({ type: 'crash', message: describeError(error) }),
    };
    const checks = new LessonChecks({ lesson, workspace: workbook.workspace, verify: (target, options) => workbook.verify(target, options), watchFiles, listener });
    session.current = checks;
    checks.watch(watchingNow.current);
    return () => {
      mounted = false;
      session.current = undefined;
      void checks.dispose();
    };
  }, [workbook, lesson, watchFiles, dispatch]);

  useEffect(() => session.current?.watch(watching), [watching]);

  const plan = useMemo(() => watchPlan(lesson, workbook.workspace), [lesson, workbook]);
  return { verify: () => session.current?.verify() ?? false, plan };
}
