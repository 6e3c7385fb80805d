import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './suggest.js';

describe('suggestions', () => {
  it('measures edit distance, a swap of neighbours as one typo', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('lsit', 'list')).toBe(1);
    expect(editDistance('1.21', '1.12')).toBe(1);
  });

  it('picks the closest candidate within the limit, the first among equals', () => {
    expect(closest('stat', ['start', 'stats'], 2)).toBe('start');
    expect(closest('stats', ['start', 'stats'], 2)).toBe('stats');
    expect(closest('tre', ['free', 'tree'], 2)).toBe('tree');
    expect(closest('zzzz', ['list', 'show'], 2)).toBeUndefined();
  });
});
