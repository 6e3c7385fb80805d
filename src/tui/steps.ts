import type { AnswerState } from './answers.js';
import type { StepSection } from './markdown/lesson-text.js';

/** `answered`: every answer of the step is recorded, but no check has proved them yet. */
export type StepState = 'done' | 'failed' | 'answered' | 'todo';

/**
 * Where the reader is: the last step whose heading is above a reading line a third of the way down the view
 * (the first step while the introduction is read). At the end of the text, which cannot scroll further, the
 * last step whose heading is in view. `stepLines` holds the line each step's heading is on.
 */
export function currentStep(stepLines: readonly number[], view: { offset: number; viewport: number; content: number }): number {
  const atEnd = view.content > view.viewport && view.offset >= view.content - view.viewport;
  const reading = atEnd ? view.offset + view.viewport - 1 : view.offset + Math.floor(view.viewport / 3);
  let current = 0;
  stepLines.forEach((line, index) => {
    if (line >= 0 && line <= reading) current = index;
  });
  return current;
}

/**
 * A step is done when the lesson is, or when it records answers and checks proved all of them; it failed when
 * the last checks found one of its answers wrong; it is answered when all are recorded but not all proved (a
 * recorded answer may be wrong: it gets no ✓ of its own); otherwise it is still to do.
 */
export function stepStates(steps: readonly StepSection[], answers: Readonly<Record<string, AnswerState>>, lessonDone: boolean): StepState[] {
  return steps.map((step) => {
    if (lessonDone) return 'done';
    const states = step.questionKeys.map((key) => answers[key] ?? 'missing');
    if (states.includes('wrong')) return 'failed';
    if (states.length > 0 && states.every((state) => state === 'proved')) return 'done';
    if (states.length > 0 && !states.includes('missing')) return 'answered';
    return 'todo';
  });
}
