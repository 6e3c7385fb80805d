import { useRef, type Dispatch } from 'react';
import { linesOf, typedText, useKeyInput } from './use-key-input.js';
import { homeReducer, selectedId, type HomeAction, type HomeState } from './use-home-state.js';

export interface HomeInputOptions {
  active: boolean;
  state: HomeState;
  dispatch: Dispatch<HomeAction>;
  /** The lesson ids shown, in order. */
  ids: readonly string[];
  pageSize: number;
  onOpen: (id: string) => void;
  onHelp: () => void;
  onQuit: () => void;
}

/**
 * The home screen's keys (src/tui/keys.ts lists them for the footer and help). Keys that arrive in one read
 * (`/` and the filter text) are handled before React renders again, so the hook follows the state itself.
 */
export function useHomeInput({ active, state, dispatch: send, ids, pageSize, onOpen, onHelp, onQuit }: HomeInputOptions): void {
  const latest = useRef(state);
  latest.current = state;
  const dispatch = (action: HomeAction) => {
    latest.current = homeReducer(latest.current, action);
    send(action);
  };
  useKeyInput((input, key) => {
    const state = latest.current;
    const selected = selectedId(state, ids);
    if (key.upArrow) return dispatch({ type: 'move', by: -1, ids });
    if (key.downArrow) return dispatch({ type: 'move', by: 1, ids });
    if (key.pageUp) return dispatch({ type: 'move', by: -pageSize, ids });
    if (key.pageDown) return dispatch({ type: 'move', by: pageSize, ids });
    if (key.return) {
      if (state.filtering) return dispatch({ type: 'filter-done', selected });
      if (selected) onOpen(selected);
      return;
    }
    if (key.escape) return dispatch({ type: 'filter-clear', selected });
    if (state.filtering) {
      if (key.backspace || key.delete) return dispatch({ type: 'filter-erase' });
      if (!typedText(input.replace(/[\r\n]/g, ''), key) && !/[\r\n]/.test(input)) return;
      for (const line of linesOf(input)) {
        if (line.text && latest.current.filtering) dispatch({ type: 'filter-type', text: line.text });
        if (line.enter) dispatch({ type: 'filter-done', selected: selectedId(latest.current, ids) });
      }
      return;
    }
    if (key.home) return dispatch({ type: 'first', ids });
    if (key.end) return dispatch({ type: 'last', ids });
    if (key.rightArrow && selected) return onOpen(selected);
    switch (input) {
      case 'k':
        return dispatch({ type: 'move', by: -1, ids });
      case 'j':
        return dispatch({ type: 'move', by: 1, ids });
      case 'g':
        return dispatch({ type: 'first', ids });
      case 'G':
        return dispatch({ type: 'last', ids });
      case '/':
        return dispatch({ type: 'filter-start' });
      case 'f':
        return dispatch({ type: 'toggle-mode' });
      case '?':
        return onHelp();
      case 'q':
        return onQuit();
    }
  }, active);
}
