import { useCallback, useEffect, useRef, type Dispatch } from 'react';
import type { LessonMeta } from '../../lessons/index.js';
import type { VerifyDocument } from '../../report/index.js';
import { describeError } from '../errors.js';
import type { WorkbookApi } from '../services.js';
import type { VerifyAction, VerifySource } from './use-verify-state.js';

/**
 * Runs the lesson's checks through the workbook, feeding each check's start and end into the verify state as
 * it happens. One run at a time: a watch tick during a run is dropped, a verify waits for nothing and says so.
 */
export function useVerifyRun(
  workbook: WorkbookApi,
  lesson: LessonMeta,
  dispatch: Dispatch<VerifyAction>,
  onFinished: (document: VerifyDocument, source: VerifySource) => void,
): { run: (source: VerifySource) => Promise<boolean> } {
  const running = useRef(false);
  const mounted = useRef(true);
  const finished = useRef(onFinished);
  finished.current = onFinished;
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = useCallback(
    async (source: VerifySource): Promise<boolean> => {
      if (running.current) return false;
      running.current = true;
      const send = (action: VerifyAction) => mounted.current && dispatch(action);
      send({ type: 'start', source });
      try {
        const document = await workbook.verify(lesson, {
          ...(source === 'watch' ? { only: 'observe' as const } : {}),
          onCheckStart: (check) => send({ type: 'check-start', id: check.id, title: check.title }),
          onCheckEnd: (result) => send({ type: 'check-end', result }),
        });
        send({ type: 'finish', document });
        if (mounted.current) finished.current(document, source);
      } catch (error) {
        send({ type: 'crash', message: describeError(error) });
      } finally {
        running.current = false;
      }
      return true;
    },
    [workbook, lesson, dispatch],
  );
  return { run };
}
