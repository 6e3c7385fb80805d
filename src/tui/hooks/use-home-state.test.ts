import { describe, expect, it } from 'vitest';
import { homeReducer, initialHomeState, selectedId } from './use-home-state.js';

const ids = ['0.1', '0.2', '1.1', '2.1'];

describe('homeReducer', () => {
  it('moves the cursor among the lessons shown and stops at the ends', () => {
    let state = initialHomeState('0.2');
    state = homeReducer(state, { type: 'move', by: 1, ids });
    expect(state.cursor).toBe('1.1');
    state = homeReducer(state, { type: 'move', by: 10, ids });
    expect(state.cursor).toBe('2.1');
    state = homeReducer(state, { type: 'move', by: -10, ids });
    expect(state.cursor).toBe('0.1');
    expect(homeReducer(state, { type: 'last', ids }).cursor).toBe('2.1');
    expect(homeReducer(state, { type: 'move', by: 1, ids: [] })).toBe(state);
  });

  it('selects the first lesson shown when the cursor is filtered out, and keeps it on leaving the filter', () => {
    let state = homeReducer(initialHomeState('0.1'), { type: 'filter-start' });
    state = homeReducer(state, { type: 'filter-type', text: 'mem' });
    expect(state).toMatchObject({ filter: 'mem', filtering: true, cursor: '0.1' });
    expect(selectedId(state, ['2.1'])).toBe('2.1');
    state = homeReducer(state, { type: 'filter-erase' });
    expect(state.filter).toBe('me');
    state = homeReducer(state, { type: 'filter-done', selected: '2.1' });
    expect(state).toMatchObject({ filter: 'me', filtering: false, cursor: '2.1' });
    expect(homeReducer(state, { type: 'filter-clear', selected: undefined })).toMatchObject({ filter: '', cursor: '2.1' });
  });

  it('starts a new filter on every /, as less does, instead of adding to the kept one', () => {
    let state = homeReducer(initialHomeState('0.1'), { type: 'filter-start' });
    state = homeReducer(state, { type: 'filter-type', text: 'memo' });
    state = homeReducer(state, { type: 'filter-done', selected: '2.1' });
    state = homeReducer(state, { type: 'filter-start' });
    expect(state).toMatchObject({ filter: '', filtering: true, cursor: '2.1' });
    state = homeReducer(state, { type: 'filter-type', text: 'root' });
    expect(state.filter).toBe('root');
  });

  it('switches between the full course and the fast path', () => {
    const state = homeReducer(initialHomeState(undefined), { type: 'toggle-mode' });
    expect(state.mode).toBe('fast');
    expect(homeReducer(state, { type: 'toggle-mode' }).mode).toBe('full');
  });
});
