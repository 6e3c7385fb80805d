import { useCallback, useState, type Dispatch } from 'react';
import { currentStep } from '../steps.js';
import { useKeepPlace } from './use-keep-place.js';
import { usePagerState, type PagerAction, type PagerState } from './use-pager-state.js';

export interface StepPager {
  pager: PagerState;
  scroll: Dispatch<PagerAction>;
  /** The pager measured how many lines it shows. */
  onViewport: (viewport: number) => void;
  /** The step being read (index into the lesson's steps). */
  step: number;
  /** How far through the text the view reaches, 0–100. */
  percent: number;
  goToStep: (index: number) => void;
  previousStep: () => void;
  nextStep: () => void;
}

/**
 * The lesson text's scroll position and the step it puts the reader in. `stepLines` holds the line each step's
 * heading is on. A jump to a step selects it even where the text cannot scroll that far (a short lesson, the
 * last step); any other scrolling selects the step at the top of the view.
 */
export function useStepPager(lines: readonly { tokenIndex: number }[], stepLines: readonly number[]): StepPager {
  const [pager, scroll] = usePagerState();
  const onViewport = useCallback((viewport: number) => scroll({ type: 'measure', viewport, content: lines.length }), [lines.length]);
  useKeepPlace(lines, pager.offset, (line) => scroll({ type: 'goto', line }));

  const [jump, setJump] = useState<{ step: number; line: number }>();
  const jumped = jump !== undefined && Math.max(0, Math.min(jump.line, pager.content - pager.viewport)) === pager.offset;
  const step = jumped ? jump.step : currentStep(stepLines, pager);
  const goToStep = (index: number) => {
    const target = Math.max(0, Math.min(index, stepLines.length - 1));
    const line = stepLines[target];
    if (line === undefined || line < 0) return;
    setJump({ step: target, line });
    scroll({ type: 'goto', line });
  };
  const percent = lines.length <= pager.viewport ? 100 : Math.round((Math.min(lines.length, pager.offset + pager.viewport) / lines.length) * 100);
  return {
    pager,
    scroll,
    onViewport,
    step,
    percent,
    goToStep,
    previousStep: () => goToStep(step - 1),
    // From a step whose heading is still below the top, ] first brings that heading up.
    nextStep: () => goToStep(jumped || stepLines[step]! <= pager.offset ? step + 1 : step),
  };
}
