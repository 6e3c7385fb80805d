import type { Token, Tokens } from 'marked';
import type { Theme } from '../theme.js';
import { highlightCode } from './highlight.js';
import { alignLine, displayWidth, hardWrap, lineWidth, wrapCode, wrapSpans, type StyledLine, type StyledSpan } from './spans.js';

export interface MarkdownOptions {
  /** Columns the text may use: prose wraps, code is cut and tables are narrowed to it. */
  width: number;
  theme: Theme;
}

/** One screen line of the text, and the top-level token it belongs to (the pager finds steps by it). */
export interface MarkdownLine {
  tokenIndex: number;
  spans: StyledLine;
}

interface Context extends MarkdownOptions {
  /** Inside a block quote: text is dimmed. */
  quoted: boolean;
}

const headingColors = ['magentaBright', 'cyanBright', 'blueBright'];

const scopeColors: Record<string, string> = {
  keyword: 'magenta',
  built_in: 'cyan',
  type: 'cyan',
  attr: 'cyan',
  attribute: 'cyan',
  string: 'green',
  number: 'yellow',
  literal: 'yellow',
  variable: 'yellow',
  'template-variable': 'yellow',
  bullet: 'yellow',
  title: 'blue',
  meta: 'gray',
  comment: 'gray',
};

/** Markdown tokens (`marked.lexer`) → the lines the reader sees at this width, a blank line between blocks. */
export function layoutMarkdown(tokens: readonly Token[], options: MarkdownOptions): MarkdownLine[] {
  const context: Context = { ...options, width: Math.max(8, options.width), quoted: false };
  const lines: MarkdownLine[] = [];
  tokens.forEach((token, tokenIndex) => {
    const block = layoutBlock(token, context);
    if (block.length === 0) return;
    // The blank line between blocks belongs to the block above: a block starts at its first line of text.
    if (lines.length > 0) lines.push({ tokenIndex: lines[lines.length - 1]!.tokenIndex, spans: [] });
    for (const spans of block) lines.push({ tokenIndex, spans });
  });
  return lines;
}

function layoutBlock(token: Token, context: Context): StyledLine[] {
  switch (token.type) {
    case 'heading':
      return layoutHeading(token as Tokens.Heading, context);
    case 'paragraph':
    case 'text':
      return wrapSpans(inlineSpans(inlineTokens(token), context, context.quoted ? { dim: true, italic: true } : {}), context.width);
    case 'list':
      return layoutList(token as Tokens.List, context);
    case 'code':
      return layoutCode(token as Tokens.Code, context);
    case 'blockquote':
      return layoutQuote(token as Tokens.Blockquote, context);
    case 'table':
      return layoutTable(token as Tokens.Table, context);
    case 'hr':
      return [[{ text: context.theme.glyphs.rule.repeat(context.width), dim: true }]];
    case 'html':
      return token.raw.trim() ? hardWrap([{ text: token.raw.trim(), dim: true }], context.width) : [];
    case 'space':
    case 'def':
      return [];
    default:
      return 'text' in token && typeof token.text === 'string' ? wrapSpans([{ text: token.text }], context.width) : [];
  }
}

/** Blocks nested in a list item or a quote; a blank line between them when the source had one. */
function layoutBlocks(tokens: readonly Token[], context: Context, loose: boolean): StyledLine[] {
  const lines: StyledLine[] = [];
  for (const token of tokens) {
    const block = layoutBlock(token, context);
    if (block.length === 0) continue;
    if (loose && lines.length > 0) lines.push([]);
    lines.push(...block);
  }
  return lines;
}

function layoutHeading(token: Tokens.Heading, context: Context): StyledLine[] {
  const { theme } = context;
  const style = { bold: true, ...(theme.color ? { color: headingColors[token.depth - 1] } : {}) };
  // Without colour or bold, `###` is what is left to say that a line is a heading.
  const marker: StyledSpan[] = token.depth > 2 && !theme.color ? [{ text: `${'#'.repeat(token.depth)} ` }] : [];
  const lines = wrapSpans([...marker, ...inlineSpans(token.tokens, context, style)], context.width);
  if (token.depth > 2) return lines;
  const rule = token.depth === 1 ? theme.glyphs.doubleRule : theme.glyphs.rule;
  return [...lines, [{ text: rule.repeat(Math.max(...lines.map(lineWidth))), dim: true }]];
}

function layoutList(token: Tokens.List, context: Context): StyledLine[] {
  const start = typeof token.start === 'number' ? token.start : 1;
  const markers = token.items.map((item, index) => {
    const task = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
    return `${token.ordered ? `${start + index}.` : context.theme.glyphs.bullet} ${task}`;
  });
  const indent = Math.max(...markers.map(displayWidth));
  const lines: StyledLine[] = [];
  token.items.forEach((item, index) => {
    if (token.loose && index > 0) lines.push([]);
    const body = layoutBlocks(
      item.tokens.filter((child) => child.type !== 'checkbox'),
      { ...context, width: context.width - indent },
      item.loose,
    );
    body.forEach((line, row) => {
      const prefix = row === 0 ? markers[index]!.padEnd(indent) : ' '.repeat(indent);
      lines.push([{ text: prefix, dim: !token.ordered }, ...line]);
    });
    if (body.length === 0) lines.push([{ text: markers[index]! }]);
  });
  return lines;
}

function layoutCode(token: Tokens.Code, context: Context): StyledLine[] {
  const { theme } = context;
  const prefix: StyledSpan = theme.plain ? { text: '    ' } : { text: `${theme.glyphs.quoteBar} `, dim: true };
  const width = context.width - displayWidth(prefix.text);
  return highlightCode(token.text, token.lang).flatMap((segments) => {
    const spans = segments.map((segment): StyledSpan => {
      const color = theme.color && segment.scope ? scopeColors[segment.scope] : undefined;
      return color ? { text: segment.text, color } : { text: segment.text };
    });
    return wrapCode(spans, width).map((line) => [prefix, ...line]);
  });
}

function layoutQuote(token: Tokens.Blockquote, context: Context): StyledLine[] {
  const prefix: StyledSpan = context.theme.plain ? { text: '> ' } : { text: '┃ ', dim: true };
  return layoutBlocks(token.tokens, { ...context, quoted: true, width: context.width - 2 }, true).map((line) => [prefix, ...line]);
}

function layoutTable(token: Tokens.Table, context: Context): StyledLine[] {
  const { glyphs } = context.theme;
  const rows = [token.header, ...token.rows].map((cells, row) =>
    cells.map((cell) => inlineSpans(cell.tokens, context, row === 0 ? { bold: true } : {})),
  );
  const widths = tableColumnWidths(
    rows.map((cells) => cells.map((spans) => lineWidth(spans))),
    context.width,
  );
  const separator: StyledSpan = { text: ` ${glyphs.tableColumn} `, dim: true };
  const physical = (cells: StyledSpan[][]): StyledLine[] => {
    const wrapped = widths.map((width, column) => wrapSpans(cells[column] ?? [], width));
    const height = Math.max(...wrapped.map((lines) => lines.length));
    return Array.from({ length: height }, (_, line) =>
      widths.flatMap((width, column) => [
        ...(column > 0 ? [separator] : []),
        ...alignLine(wrapped[column]![line] ?? [], width, token.align[column] ?? null),
      ]),
    );
  };
  const rule: StyledLine = [
    { text: widths.map((width) => glyphs.tableRule.repeat(width)).join(`${glyphs.tableRule}${glyphs.tableCross}${glyphs.tableRule}`), dim: true },
  ];
  return [...physical(rows[0]!), rule, ...rows.slice(1).flatMap(physical)];
}

/**
 * Column widths for a table whose cells have these natural widths: each column as wide as its widest cell,
 * then the widest column narrowed (its cells wrap) until the table fits, never below 4 columns.
 */
export function tableColumnWidths(cellWidths: readonly (readonly number[])[], available: number): number[] {
  const columns = Math.max(0, ...cellWidths.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) => Math.max(1, ...cellWidths.map((row) => row[column] ?? 0)));
  const budget = available - 3 * Math.max(0, columns - 1);
  while (widths.reduce((sum, width) => sum + width, 0) > budget) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= 4) break;
    widths[widest]! -= 1;
  }
  return widths;
}

function inlineTokens(token: Token): Token[] {
  if ('tokens' in token && Array.isArray(token.tokens)) return token.tokens as Token[];
  return [{ type: 'text', raw: token.raw, text: 'text' in token ? String(token.text) : token.raw } as Tokens.Text];
}

/** Inline tokens → styled spans; a style applies to everything inside it. */
export function inlineSpans(tokens: readonly Token[] | undefined, context: Pick<Context, 'theme'>, style: Omit<StyledSpan, 'text'> = {}): StyledSpan[] {
  const { theme } = context;
  return (tokens ?? []).flatMap((token): StyledSpan[] => {
    switch (token.type) {
      case 'strong':
        return inlineSpans((token as Tokens.Strong).tokens, context, { ...style, bold: true });
      case 'em':
        return inlineSpans((token as Tokens.Em).tokens, context, { ...style, italic: true });
      case 'del':
        return inlineSpans((token as Tokens.Del).tokens, context, { ...style, strikethrough: true });
      case 'codespan': {
        // A line break inside a paragraph is a space in Markdown, in code spans too.
        const code = (token as Tokens.Codespan).text.replace(/\n/g, ' ');
        // Without colour, the backticks are what sets code apart from prose.
        return theme.color ? [{ ...style, text: code, color: 'yellow' }] : [{ ...style, text: `\`${code}\`` }];
      }
      case 'link': {
        const link = token as Tokens.Link;
        const label = inlineSpans(link.tokens, context, { ...style, underline: true, ...(theme.color ? { color: 'blue' } : {}) });
        const same = label.map((span) => span.text).join('') === link.href;
        return same ? label : [...label, { ...style, text: ` (${link.href})`, dim: true }];
      }
      case 'image':
        return [{ ...style, text: `[image: ${(token as Tokens.Image).text}]` }];
      case 'br':
        return [{ text: '\n' }];
      case 'text': {
        const text = token as Tokens.Text;
        return text.tokens ? inlineSpans(text.tokens, context, style) : [{ ...style, text: text.text.replace(/\n/g, ' ') }];
      }
      case 'escape':
        return [{ ...style, text: (token as Tokens.Escape).text }];
      default:
        return [{ ...style, text: token.raw }];
    }
  });
}
