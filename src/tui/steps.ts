import type { StepSection } from './markdown/lesson-text.js';

export type StepState = 'done' | 'failed' | 'todo';

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
 * A step is done when the lesson is, or when it records answers and all of them are recorded; it failed when
 * the last checks found one of its answers wrong; otherwise it is still to do.
 */
export function stepStates(
  steps: readonly StepSection[],
  answers: Readonly<Record<string, string>>,
  lessonDone: boolean,
  failing: ReadonlySet<string> = new Set(),
): StepState[] {
  return steps.map((step) => {
    if (lessonDone) return 'done';
    if (step.questionKeys.some((key) => failing.has(key))) return 'failed';
    if (step.questionKeys.length > 0 && step.questionKeys.every((key) => answers[key] !== undefined)) return 'done';
    return 'todo';
  });
}
