import { lexer } from 'marked';
import { describe, expect, it } from 'vitest';
import { makeTheme } from '../theme.js';
import { layoutMarkdown, tableColumnWidths } from './layout-markdown.js';
import { lineText } from './spans.js';

const fancy = makeTheme({ plain: false, color: true });
const plain = makeTheme({ plain: true, color: false });
const layout = (markdown: string, width = 60, theme = fancy) => layoutMarkdown(lexer(markdown), { width, theme });
const text = (markdown: string, width = 60, theme = fancy) => layout(markdown, width, theme).map((line) => lineText(line.spans));
const spanWith = (markdown: string, content: string, theme = fancy) =>
  layout(markdown, 60, theme)
    .flatMap((line) => line.spans)
    .find((span) => span.text.includes(content));

describe('layoutMarkdown', () => {
  it('underlines headings of the first two levels and colours them', () => {
    expect(text('# Title\n\n## Step 1: Do it\n\n### Small')).toEqual(['Title', '═════', '', 'Step 1: Do it', '─────────────', '', 'Small']);
    expect(spanWith('# Title', 'Title')).toMatchObject({ bold: true, color: 'magentaBright' });
    // Without colour, a third-level heading keeps its marker.
    expect(text('### Small', 60, plain)).toEqual(['### Small']);
  });

  it('styles emphasis, strong, code and links inside a paragraph, and joins its source lines', () => {
    const markdown = 'Some *namespaces* and **cgroups**, `uname -r`\nand [the docs](https://kernel.org).';
    expect(text(markdown)).toEqual(['Some namespaces and cgroups, uname -r and the docs', '(https://kernel.org).']);
    expect(spanWith(markdown, 'namespaces')).toMatchObject({ italic: true });
    expect(spanWith(markdown, 'cgroups')).toMatchObject({ bold: true });
    expect(spanWith(markdown, 'uname')).toMatchObject({ color: 'yellow' });
    expect(spanWith(markdown, 'the')).toMatchObject({ underline: true, color: 'blue' });
    // Without colour, code keeps its backticks.
    expect(text(markdown, 80, plain)[0]).toContain('`uname -r`');
  });

  it('lays out lists with hanging indents, inline code in the items, nesting and numbers', () => {
    expect(text('- a `code` item that wraps past the width\n- b\n  - nested\n\n3. three\n4. four', 24)).toEqual([
      '• a code item that wraps',
      '  past the width',
      '• b',
      '  • nested',
      '',
      '3. three',
      '4. four',
    ]);
    expect(spanWith('- see `ls -l`', 'ls -l')).toMatchObject({ color: 'yellow' });
    expect(text('- [x] done\n- [ ] not yet', 40, plain)).toEqual(['- [x] done', '- [ ] not yet']);
  });

  it('lays out tables with aligned columns, narrowing the widest column to fit', () => {
    const table = '| field | meaning |\n|---|--:|\n| `memory.max` | the limit |\n| `memory.current` | what is used now, in bytes |';
    expect(text(table)).toEqual([
      'field          │                    meaning',
      '───────────────┼───────────────────────────',
      'memory.max     │                  the limit',
      'memory.current │ what is used now, in bytes',
    ]);
    expect(text(table, 30).every((line) => line.length <= 30)).toBe(true);
    expect(text(table, 60, plain)[1]).toBe(`${'-'.repeat(17)}+${'-'.repeat(27)}`);
    expect(text(table, 60, plain)[2]).toBe('`memory.max`     |                  the limit');
    expect(tableColumnWidths([[5, 7], [20, 30]], 30)).toEqual([13, 14]);
  });

  it('sets block quotes and code blocks apart, with or without box drawing', () => {
    expect(text('> a quoted **remark**')).toEqual(['┃ a quoted remark']);
    expect(spanWith('> a quoted remark', 'quoted')).toMatchObject({ dim: true, italic: true });
    expect(text('> a quoted remark', 60, plain)).toEqual(['> a quoted remark']);
    expect(text('```sh\nls -l /proc\n```')).toEqual(['│ ls -l /proc']);
    expect(text('```sh\nls -l /proc\n```', 60, plain)).toEqual(['    ls -l /proc']);
    expect(text('---', 10)).toEqual(['──────────']);
  });

  it('highlights code blocks in shell, TypeScript, JSON and YAML, and only with colour', () => {
    const colours = (markdown: string, theme = fancy) =>
      layout(markdown, 60, theme)
        .flatMap((line) => line.spans)
        .filter((span) => span.color)
        .map((span) => `${span.color}:${span.text}`);
    expect(colours('```sh\necho "$HOME" # home\n```')).toEqual(['cyan:echo', 'green:"', 'yellow:$HOME', 'green:"', 'gray:# home']);
    expect(colours('```ts\nconst n: number = 1;\n```')).toEqual(expect.arrayContaining(['magenta:const', 'cyan:number', 'yellow:1']));
    expect(colours('```json\n{"a": true}\n```')).toEqual(expect.arrayContaining(['cyan:"a"', 'magenta:true']));
    expect(colours('```yaml\nkind: state\n```')).toEqual(expect.arrayContaining(['cyan:kind:', 'green:state']));
    expect(colours('```sh\necho "$HOME"\n```', plain)).toEqual([]);
  });

  it('re-flows to the width it is given and keeps a blank line between blocks', () => {
    const markdown = 'one two three four five six seven eight nine ten\n\nnext';
    expect(text(markdown, 20)).toEqual(['one two three four', 'five six seven eight', 'nine ten', '', 'next']);
    expect(text(markdown, 60)).toEqual(['one two three four five six seven eight nine ten', '', 'next']);
    // Each line knows its block; the blank line belongs to the block above.
    expect(layout(markdown, 60).map((line) => line.tokenIndex)).toEqual([0, 0, 2]);
  });
});
