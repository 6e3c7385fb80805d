import { describe, expect, it } from 'vitest';
import { initialQuizState, quizReducer } from './use-quiz-state.js';

describe('quizReducer', () => {
  it('edits the draft: typing, pasting without control characters, erasing, clearing', () => {
    let state = quizReducer(initialQuizState(0), { type: 'type', text: '6.1' });
    state = quizReducer(state, { type: 'type', text: '.0\u0007-x' });
    expect(state.draft).toBe('6.1.0-x');
    expect(quizReducer(state, { type: 'erase' }).draft).toBe('6.1.0-');
    expect(quizReducer(state, { type: 'clear' }).draft).toBe('');
  });

  it('moves between questions round the list, and to the next one once saved', () => {
    expect(quizReducer(initialQuizState(0), { type: 'move', by: -1, count: 3 }).selected).toBe(2);
    expect(quizReducer(initialQuizState(2), { type: 'move', by: 1, count: 3 }).selected).toBe(0);
    const saving = quizReducer({ ...initialQuizState(1), draft: 'x' }, { type: 'saving' });
    expect(saving.saving).toBe(true);
    expect(quizReducer(saving, { type: 'saved', index: 1, count: 3 })).toEqual(initialQuizState(2));
    expect(quizReducer(saving, { type: 'saved', index: 2, count: 3 }).selected).toBe(2);
    expect(quizReducer(saving, { type: 'failed', message: 'the answer is empty' })).toMatchObject({ saving: false, draft: 'x', error: 'the answer is empty' });
  });
});
