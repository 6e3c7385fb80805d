import { createContext, useContext } from 'react';

/** The characters the workbook draws with. `--plain` swaps box drawing and braille for ASCII. */
export interface Glyphs {
  pointer: string;
  bullet: string;
  rule: string;
  doubleRule: string;
  quoteBar: string;
  barFull: string;
  barEmpty: string;
  tableColumn: string;
  tableRule: string;
  tableCross: string;
  spinner: readonly string[];
}

export interface Theme {
  /** No box drawing: borders give way to spacing, glyphs to ASCII. */
  plain: boolean;
  /** False under NO_COLOR / --no-color: styles are gone too, so every mark also has a word or a symbol. */
  color: boolean;
  glyphs: Glyphs;
}

const fancy: Glyphs = {
  pointer: '›',
  bullet: '•',
  rule: '─',
  doubleRule: '═',
  quoteBar: '│',
  barFull: '█',
  barEmpty: '░',
  tableColumn: '│',
  tableRule: '─',
  tableCross: '┼',
  spinner: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'],
};

const ascii: Glyphs = {
  pointer: '>',
  bullet: '-',
  rule: '-',
  doubleRule: '=',
  quoteBar: '|',
  barFull: '#',
  barEmpty: '.',
  tableColumn: '|',
  tableRule: '-',
  tableCross: '+',
  spinner: ['-', '\\', '|', '/'],
};

export function makeTheme(options: { plain: boolean; color: boolean }): Theme {
  return { ...options, glyphs: options.plain ? ascii : fancy };
}

export const ThemeContext = createContext<Theme>(makeTheme({ plain: false, color: true }));

export const useTheme = (): Theme => useContext(ThemeContext);
