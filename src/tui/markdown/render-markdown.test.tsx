import chalk from 'chalk';
import { Box, renderToString } from 'ink';
import { lexer } from 'marked';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTheme } from '../theme.js';
import { renderMarkdown } from './render-markdown.js';

const level = chalk.level;
afterEach(() => {
  chalk.level = level;
});

const show = (markdown: string, width: number, theme = makeTheme({ plain: false, color: true })) =>
  renderToString(<Box flexDirection="column">{renderMarkdown(lexer(markdown), { width, theme })}</Box>, { columns: width + 10 });

describe('renderMarkdown', () => {
  it('gives one element per screen line, already wrapped, so ink does not wrap again', () => {
    const elements = renderMarkdown(lexer('# Title\n\none two three four five'), { width: 10, theme: makeTheme({ plain: false, color: true }) });
    expect(elements).toHaveLength(6);
    expect(show('# Title\n\none two three four five', 10)).toBe('Title\n═════\n\none two\nthree four\nfive');
  });

  it('emits the styles and colours of the spans', () => {
    chalk.level = 1;
    const output = show('**bold** and `code`\n\n```sh\necho hi\n```', 40);
    expect(output).toContain('\u001b[1mbold\u001b[22m');
    expect(output).toContain('\u001b[33mcode\u001b[39m');
    expect(output).toContain('\u001b[36mecho\u001b[39m');
  });

  it('emits no escape sequences when colour is off', () => {
    chalk.level = 0;
    expect(show('**bold** and `code`', 40, makeTheme({ plain: true, color: false }))).toBe('bold and `code`');
  });
});
