import { describe, expect, it } from 'vitest';
import { colorLevel } from './color.js';

describe('colorLevel', () => {
  it('is off under NO_COLOR, --no-color, FORCE_COLOR=0 and TERM=dumb', () => {
    expect(colorLevel({ noColor: false, env: { NO_COLOR: '1', TERM: 'xterm' }, current: 3 })).toBe(0);
    expect(colorLevel({ noColor: true, env: { TERM: 'xterm' }, current: 3 })).toBe(0);
    expect(colorLevel({ noColor: false, env: { FORCE_COLOR: '0' }, current: 1 })).toBe(0);
    expect(colorLevel({ noColor: false, env: { TERM: 'dumb' }, current: 1 })).toBe(0);
  });

  it('is on in a terminal even when CI made chalk turn it off', () => {
    expect(colorLevel({ noColor: false, env: { CI: 'true', TERM: 'xterm-256color' }, current: 0 })).toBe(2);
    expect(colorLevel({ noColor: false, env: { CI: 'true', TERM: 'screen' }, current: 0 })).toBe(1);
    expect(colorLevel({ noColor: false, env: { COLORTERM: 'truecolor' }, current: 0 })).toBe(3);
    expect(colorLevel({ noColor: false, env: { TERM: 'xterm' }, current: 2 })).toBe(2);
  });
});
