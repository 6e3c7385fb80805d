import { describe, expect, it } from 'vitest';
import { parseJsonObject, sameNumber, sameWithSynonyms, sameYesNo, yesNo } from './answers.js';

describe('quiz answers', () => {
  it('accepts the ways a learner says yes or no', () => {
    expect(yesNo(true)).toBe('yes');
    expect(['Y', 'true', ' yes ', '1'].every((answer) => sameYesNo(answer, 'yes'))).toBe(true);
    expect(['n', '0', '2', 'unknown'].some((answer) => sameYesNo(answer, 'yes'))).toBe(false);
    expect(sameYesNo('0', 'no') && !sameYesNo('1', 'no')).toBe(true);
  });

  it('accepts synonyms and the truth itself', () => {
    const mode = sameWithSynonyms({ unified: 'v2' });
    expect(mode('Unified', 'v2') && mode('V2', 'v2')).toBe(true);
    expect(mode('unified', 'v1')).toBe(false);
  });

  it('compares numbers, not text, and never an empty answer', () => {
    expect(sameNumber(' 41 ', '41')).toBe(true);
    expect(sameNumber('', '0')).toBe(false);
  });

  it('reads only JSON objects', () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonObject('[1]') ?? parseJsonObject('nope') ?? parseJsonObject('3')).toBeUndefined();
  });
});
