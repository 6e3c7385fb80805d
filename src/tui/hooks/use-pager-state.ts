import { useReducer } from 'react';

export interface PagerState {
  /** The first line shown. */
  offset: number;
  /** Lines the viewport shows (measured after layout). */
  viewport: number;
  /** Lines of text. */
  content: number;
}

export type PagerAction =
  | { type: 'measure'; viewport: number; content: number }
  | { type: 'scroll'; by: number }
  | { type: 'page'; by: number }
  | { type: 'top' }
  | { type: 'bottom' }
  | { type: 'goto'; line: number };

const clamp = (state: PagerState, offset: number): PagerState => ({
  ...state,
  offset: Math.max(0, Math.min(offset, Math.max(0, state.content - state.viewport))),
});

export function pagerReducer(state: PagerState, action: PagerAction): PagerState {
  switch (action.type) {
    case 'measure':
      if (action.viewport === state.viewport && action.content === state.content) return state;
      return clamp({ ...state, viewport: action.viewport, content: action.content }, state.offset);
    case 'scroll':
      return clamp(state, state.offset + action.by);
    case 'page':
      // A line of overlap keeps the reader's place.
      return clamp(state, state.offset + action.by * Math.max(1, state.viewport - 1));
    case 'top':
      return clamp(state, 0);
    case 'bottom':
      return clamp(state, state.content);
    case 'goto':
      return clamp(state, action.line);
  }
}

export function usePagerState() {
  return useReducer(pagerReducer, { offset: 0, viewport: 0, content: 0 });
}
