import { describe, expect, it } from 'vitest';
import { alignLine, displayWidth, hardWrap, lineText, wrapCode, wrapSpans } from './spans.js';

const texts = (lines: ReturnType<typeof wrapSpans>) => lines.map(lineText);

describe('wrapSpans', () => {
  it('wraps words to the width, never starting or ending a line with a space', () => {
    expect(texts(wrapSpans([{ text: 'aaa bbb ccc ddd' }], 7))).toEqual(['aaa bbb', 'ccc ddd']);
    // A word that fills the line exactly: the space after it does not start the next line.
    expect(texts(wrapSpans([{ text: 'aaaa bbb' }], 4))).toEqual(['aaaa', 'bbb']);
    expect(texts(wrapSpans([{ text: '  lots   of\n space ' }], 40))).toEqual(['lots of space']);
  });

  it('keeps a word that spans several styles together', () => {
    const lines = wrapSpans([{ text: 'counted by ' }, { text: 'cgroups', italic: true }, { text: '. Next' }], 16);
    expect(texts(lines)).toEqual(['counted by', 'cgroups. Next']);
    expect(lines[1]).toEqual([{ text: 'cgroups', italic: true }, { text: '. Next' }]);
  });

  it('splits a word longer than the line, and breaks at a forced line break', () => {
    expect(texts(wrapSpans([{ text: 'ab abcdefghij' }], 4))).toEqual(['ab', 'abcd', 'efgh', 'ij']);
    expect(texts(wrapSpans([{ text: 'one' }, { text: '\n' }, { text: 'two' }], 40))).toEqual(['one', 'two']);
  });

  it('counts wide characters as two columns', () => {
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('é')).toBe(1);
    expect(texts(wrapSpans([{ text: '日本 語' }], 4))).toEqual(['日本', '語']);
  });
});

describe('wrapCode', () => {
  it('breaks code after a space where it can, keeping indentation and inner spaces', () => {
    const code = [{ text: 'grep Cap /proc/self/status', color: 'cyan' }, { text: '   # your own shell' }];
    expect(texts(wrapCode(code, 28))).toEqual(['grep Cap /proc/self/status', '# your own shell']);
    expect(texts(wrapCode(code, 30))).toEqual(['grep Cap /proc/self/status   #', 'your own shell']);
    expect(texts(wrapCode([{ text: '  a  b' }], 40))).toEqual(['  a  b']);
    expect(texts(wrapCode([{ text: 'x /a/very/long/path/without/spaces' }], 10))).toEqual(['x', '/a/very/lo', 'ng/path/wi', 'thout/spac', 'es']);
  });
});

describe('hardWrap and alignLine', () => {
  it('cuts preformatted text at the width and keeps its spaces', () => {
    expect(texts(hardWrap([{ text: '  ls -l', color: 'cyan' }, { text: ' /proc' }], 5))).toEqual(['  ls ', '-l /p', 'roc']);
  });

  it('pads a line left, centre or right', () => {
    expect(lineText(alignLine([{ text: 'ab' }], 6, 'right'))).toBe('    ab');
    expect(lineText(alignLine([{ text: 'ab' }], 6, 'center'))).toBe('  ab  ');
    expect(lineText(alignLine([{ text: 'ab' }], 6, null))).toBe('ab    ');
  });
});
