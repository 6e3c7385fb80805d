import { describe, expect, it } from 'vitest';
import { linesOf } from './use-key-input.js';

describe('linesOf', () => {
  it('splits typed or pasted text at its line breaks', () => {
    expect(linesOf('v2')).toEqual([{ text: 'v2', enter: false }]);
    expect(linesOf('v2\r')).toEqual([
      { text: 'v2', enter: true },
      { text: '', enter: false },
    ]);
    expect(linesOf('a\r\nb\nc')).toEqual([
      { text: 'a', enter: true },
      { text: 'b', enter: true },
      { text: 'c', enter: false },
    ]);
  });
});
