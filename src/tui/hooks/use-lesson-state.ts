import { useReducer } from 'react';

/** What the panel under the text shows. */
export type LessonPanel = 'none' | 'verify' | 'hints' | 'quiz';

export interface Notice {
  kind: 'info' | 'error';
  text: string;
}

export interface HintsView {
  shown: string[];
  total: number;
  fromLastVerify: string | undefined;
}

export interface LessonState {
  panel: LessonPanel;
  watching: boolean;
  notice: Notice | null;
  hints: HintsView;
  /** A long operation (setup) is running; its name. */
  busy: string | null;
}

export type LessonAction =
  | { type: 'show-panel'; panel: LessonPanel }
  | { type: 'toggle-watch' }
  | { type: 'notice'; notice: Notice | null }
  | { type: 'hints'; hints: HintsView }
  | { type: 'busy'; busy: string | null };

export function initialLessonState(hints: HintsView): LessonState {
  return { panel: 'none', watching: false, notice: null, hints, busy: null };
}

export function lessonReducer(state: LessonState, action: LessonAction): LessonState {
  switch (action.type) {
    case 'show-panel':
      return { ...state, panel: action.panel };
    case 'toggle-watch':
      // Watch results live in the verify panel, so turning watch on shows it.
      return { ...state, watching: !state.watching, panel: state.watching ? state.panel : 'verify' };
    case 'notice':
      return { ...state, notice: action.notice };
    case 'hints':
      return { ...state, hints: action.hints, panel: 'hints' };
    case 'busy':
      return { ...state, busy: action.busy };
  }
}

export function useLessonState(hints: HintsView) {
  return useReducer(lessonReducer, hints, initialLessonState);
}
