import { describe, expect, it } from 'vitest';
import { appReducer, initialAppState } from './use-app-state.js';

describe('appReducer', () => {
  it('starts where the start view says and moves between the list, a lesson and the help', () => {
    expect(initialAppState({ screen: 'lesson', lesson: 'a/b' })).toEqual({ screen: 'lesson', lesson: 'a/b', help: false });
    let state = initialAppState({ screen: 'home', cursor: 'a/b' });
    expect(state.screen).toBe('home');
    state = appReducer(state, { type: 'open-lesson', id: 'c/d' });
    expect(state).toEqual({ screen: 'lesson', lesson: 'c/d', help: false });
    state = appReducer(state, { type: 'toggle-help' });
    expect(state.help).toBe(true);
    expect(appReducer(state, { type: 'close-help' }).help).toBe(false);
    expect(appReducer(state, { type: 'home' }).screen).toBe('home');
  });
});
