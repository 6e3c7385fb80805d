import { useReducer } from 'react';
import type { CourseMode } from '../course.js';

export interface HomeState {
  /** The lesson id under the cursor (kept even when a filter hides it, so clearing the filter returns to it). */
  cursor: string | undefined;
  filter: string;
  /** Typing goes to the filter. */
  filtering: boolean;
  mode: CourseMode;
}

export type HomeAction =
  | { type: 'move'; by: number; ids: readonly string[] }
  | { type: 'first' | 'last'; ids: readonly string[] }
  | { type: 'select'; id: string }
  | { type: 'filter-start' }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-erase' }
  | { type: 'filter-clear'; selected: string | undefined }
  | { type: 'filter-done'; selected: string | undefined }
  | { type: 'toggle-mode' };

export function initialHomeState(cursor: string | undefined): HomeState {
  return { cursor, filter: '', filtering: false, mode: 'full' };
}

/** The lesson the cursor is on among those shown: the cursor's, or the first shown when it is hidden. */
export function selectedId(state: HomeState, ids: readonly string[]): string | undefined {
  return state.cursor !== undefined && ids.includes(state.cursor) ? state.cursor : ids[0];
}

export function homeReducer(state: HomeState, action: HomeAction): HomeState {
  switch (action.type) {
    case 'move': {
      if (action.ids.length === 0) return state;
      const current = Math.max(0, action.ids.indexOf(selectedId(state, action.ids)!));
      const next = Math.min(action.ids.length - 1, Math.max(0, current + action.by));
      return { ...state, cursor: action.ids[next] };
    }
    case 'first':
      return action.ids.length ? { ...state, cursor: action.ids[0] } : state;
    case 'last':
      return action.ids.length ? { ...state, cursor: action.ids[action.ids.length - 1] } : state;
    case 'select':
      return { ...state, cursor: action.id };
    // A new filter each time, as in less and rustlings: typing after `/` never extends a filter kept earlier.
    case 'filter-start':
      return { ...state, filter: '', filtering: true };
    case 'filter-type':
      return { ...state, filter: state.filter + action.text };
    case 'filter-erase':
      return { ...state, filter: [...state.filter].slice(0, -1).join('') };
    // Leaving the filter, the cursor stays on the lesson the filter had selected.
    case 'filter-clear':
      return { ...state, filter: '', filtering: false, cursor: action.selected ?? state.cursor };
    case 'filter-done':
      return { ...state, filtering: false, cursor: action.selected ?? state.cursor };
    case 'toggle-mode':
      return { ...state, mode: state.mode === 'full' ? 'fast' : 'full' };
  }
}

export function useHomeState(cursor: string | undefined) {
  return useReducer(homeReducer, cursor, initialHomeState);
}
