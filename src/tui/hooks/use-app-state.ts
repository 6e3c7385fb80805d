import { useReducer } from 'react';
import type { StartView } from '../course.js';

export interface AppState {
  screen: 'home' | 'lesson';
  /** The open lesson (screen "lesson"). */
  lesson: string | undefined;
  /** The help screen is over the current screen (which stays mounted, so nothing is lost). */
  help: boolean;
}

export type AppAction = { type: 'open-lesson'; id: string } | { type: 'home' } | { type: 'toggle-help' } | { type: 'close-help' };

export function initialAppState(start: StartView): AppState {
  return start.screen === 'lesson' ? { screen: 'lesson', lesson: start.lesson, help: false } : { screen: 'home', lesson: undefined, help: false };
}

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'open-lesson':
      return { ...state, screen: 'lesson', lesson: action.id };
    case 'home':
      return { ...state, screen: 'home' };
    case 'toggle-help':
      return { ...state, help: !state.help };
    case 'close-help':
      return { ...state, help: false };
  }
}

export function useAppState(start: StartView) {
  return useReducer(appReducer, start, initialAppState);
}
