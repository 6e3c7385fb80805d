import { useReducer } from 'react';

export interface QuizState {
  /** Index of the question being answered. */
  selected: number;
  draft: string;
  saving: boolean;
  error: string | null;
}

export type QuizAction =
  | { type: 'move'; by: number; count: number }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'clear' }
  | { type: 'saving' }
  | { type: 'saved'; index: number; count: number }
  | { type: 'failed'; message: string };

export function initialQuizState(selected: number): QuizState {
  return { selected, draft: '', saving: false, error: null };
}

export function quizReducer(state: QuizState, action: QuizAction): QuizState {
  switch (action.type) {
    case 'move':
      return initialQuizState((((state.selected + action.by) % action.count) + action.count) % action.count);
    case 'type':
      // Pasted text arrives as one string; control characters (a pasted newline) are not part of an answer.
      return { ...state, draft: state.draft + action.text.replace(/[\u0000-\u001f\u007f]/g, ''), error: null };
    case 'erase':
      return { ...state, draft: [...state.draft].slice(0, -1).join(''), error: null };
    case 'clear':
      return { ...state, draft: '', error: null };
    case 'saving':
      return { ...state, saving: true, error: null };
    case 'saved':
      return initialQuizState(Math.min(action.index + 1, action.count - 1));
    case 'failed':
      return { ...state, saving: false, error: action.message };
  }
}

/** Starts on the first question without a recorded answer. */
export function useQuizState(firstUnanswered: number) {
  return useReducer(quizReducer, firstUnanswered, initialQuizState);
}
