import { describe, expect, it } from 'vitest';
import { courseCount, failedSinceDone } from './list-words.js';

describe('failedSinceDone', () => {
  it('says both facts for a lesson done earlier whose last verify failed or could not run', () => {
    expect(failedSinceDone({ status: 'done', lastVerify: { status: 'fail', at: 't', passed: 0, total: 4 } })).toEqual({
      done: '✓ done earlier',
      last: '✗ last verify failed (0 of 4)',
      compact: '✓ done (last ✗)',
    });
    expect(failedSinceDone({ status: 'done', lastVerify: { status: 'error', at: 't', passed: 1, total: 4 } })).toMatchObject({
      last: '! last verify could not run (1 of 4)',
      compact: '✓ done (last !)',
    });
    // A progress file written before the counts were recorded.
    expect(failedSinceDone({ status: 'done', lastVerify: { status: 'fail', at: 't' } })?.last).toBe('✗ last verify failed');
  });

  it('finds no contradiction in a passing last verify, or in a failing one of a lesson not done', () => {
    expect(failedSinceDone({ status: 'done', lastVerify: { status: 'pass', at: 't', passed: 4, total: 4 } })).toBeUndefined();
    expect(failedSinceDone({ status: 'done' })).toBeUndefined();
    expect(failedSinceDone({ status: 'in-progress', lastVerify: { status: 'fail', at: 't', passed: 0, total: 4 } })).toBeUndefined();
  });
});

describe('courseCount', () => {
  it('says how far the course can go when lessons are locked here, rounding down', () => {
    const statuses = ['done', 'done', 'done', 'done', 'done', 'locked', 'locked', 'locked'] as const;
    expect(courseCount(statuses.map((status) => ({ status })))).toEqual({
      done: 5,
      total: 8,
      locked: 3,
      reachablePercent: 62,
      text: '5 of 8 lessons done (3 locked here: can reach 62%)',
    });
  });

  it('says nothing of locks when nothing is locked, and handles an empty course', () => {
    expect(courseCount([{ status: 'done' }, { status: 'available' }]).text).toBe('1 of 2 lessons done');
    expect(courseCount([])).toMatchObject({ total: 0, reachablePercent: 0, text: '0 of 0 lessons done' });
  });
});
