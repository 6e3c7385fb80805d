import { describe, expect, it } from 'vitest';
import { initialLessonState, lessonReducer } from './use-lesson-state.js';

const start = initialLessonState({ shown: [], total: 2, fromLastVerify: undefined });

describe('lessonReducer', () => {
  it('shows the verify panel when watch is turned on, and leaves the panel when it is turned off', () => {
    const on = lessonReducer(start, { type: 'toggle-watch' });
    expect(on).toMatchObject({ watching: true, panel: 'verify' });
    const hints = lessonReducer(on, { type: 'show-panel', panel: 'hints' });
    expect(lessonReducer(hints, { type: 'toggle-watch' })).toMatchObject({ watching: false, panel: 'hints' });
  });

  it('opens the hints panel with the hints shown, and keeps notices and busy state', () => {
    const hints = lessonReducer(start, { type: 'hints', hints: { shown: ['one'], total: 2, fromLastVerify: 'try' } });
    expect(hints).toMatchObject({ panel: 'hints', hints: { shown: ['one'] } });
    expect(lessonReducer(start, { type: 'notice', notice: { kind: 'error', text: 'x' } }).notice).toEqual({ kind: 'error', text: 'x' });
    expect(lessonReducer(start, { type: 'busy', busy: 'Setting up' }).busy).toBe('Setting up');
  });
});
