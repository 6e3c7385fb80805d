/** A run of text in one style. Lines of spans are what the workbook draws; ink only places them. */
export interface StyledSpan {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  dim?: boolean;
  color?: string;
}

export type StyledLine = StyledSpan[];

// East Asian wide and full-width characters and the common emoji planes take two columns.
const wide = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;
const zeroWidth = /[\p{M}\u200B-\u200F\uFE0F]/u;

/** Columns a string takes in a terminal (close enough for prose: no tabs, no control characters). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += zeroWidth.test(char) ? 0 : wide.test(char) ? 2 : 1;
  return width;
}

export function lineWidth(line: StyledLine): number {
  return line.reduce((sum, span) => sum + displayWidth(span.text), 0);
}

export function lineText(line: StyledLine): string {
  return line.map((span) => span.text).join('');
}

/**
 * Word-wraps prose to `width` columns: runs of white space collapse to one space and never start or end a
 * line (ink's own wrapping keeps a leading space when a word fills a line exactly); a word may span several
 * styles (`*cgroups*.`) and is split only when it is longer than a line. A span whose text is "\n" breaks.
 */
export function wrapSpans(spans: readonly StyledSpan[], width: number): StyledLine[] {
  const limit = Math.max(1, width);
  const lines: StyledLine[] = [[]];
  let used = 0;
  const newLine = () => {
    lines.push([]);
    used = 0;
  };
  for (const item of words(spans)) {
    if (item === 'break') {
      newLine();
      continue;
    }
    const { space, parts } = item;
    const wordWidth = lineWidth(parts);
    const gap = space && used > 0 ? 1 : 0;
    if (used > 0 && used + gap + wordWidth > limit) newLine();
    else if (gap) {
      lines[lines.length - 1]!.push({ ...space!, text: ' ' });
      used += 1;
    }
    if (wordWidth <= limit - used) {
      lines[lines.length - 1]!.push(...parts);
      used += wordWidth;
      continue;
    }
    for (const line of hardWrap(parts, limit)) {
      if (used > 0) newLine();
      lines[lines.length - 1]!.push(...line);
      used = lineWidth(line);
    }
  }
  return lines.map(mergeSpans);
}

type Word = { space: StyledSpan | undefined; parts: StyledSpan[] };

/** The words of the spans, each with the white space before it (in that space's style), and forced breaks. */
function words(spans: readonly StyledSpan[]): Array<Word | 'break'> {
  const items: Array<Word | 'break'> = [];
  let current: Word | undefined;
  let space: StyledSpan | undefined;
  for (const span of spans) {
    if (span.text === '\n') {
      items.push('break');
      current = undefined;
      space = undefined;
      continue;
    }
    for (const piece of span.text.split(/(\s+)/)) {
      if (piece === '') continue;
      if (/^\s+$/.test(piece)) {
        current = undefined;
        space = span;
        continue;
      }
      if (!current) {
        current = { space, parts: [] };
        items.push(current);
        space = undefined;
      }
      current.parts.push({ ...span, text: piece });
    }
  }
  return items;
}

/** Code and other preformatted text: every space kept, lines cut at exactly `width` columns. */
export function hardWrap(spans: readonly StyledSpan[], width: number): StyledLine[] {
  const limit = Math.max(1, width);
  const lines: StyledLine[] = [[]];
  let used = 0;
  for (const span of spans) {
    for (const part of splitToWidth(span.text, limit, limit - used)) {
      if (used > 0 && used + displayWidth(part) > limit) {
        lines.push([]);
        used = 0;
      }
      lines[lines.length - 1]!.push({ ...span, text: part });
      used += displayWidth(part);
    }
  }
  return lines.map(mergeSpans);
}

/**
 * Code: every space kept, lines broken after the last space that fits (a long command stays readable), and
 * cut at exactly `width` only where a word is longer than the line.
 */
export function wrapCode(spans: readonly StyledSpan[], width: number): StyledLine[] {
  const limit = Math.max(1, width);
  // Each piece is a word with the spaces after it; indentation is a piece of its own.
  const pieces = spans.flatMap((span) => span.text.split(/(?<= )(?=\S)/).map((text) => ({ ...span, text })));
  const lines: StyledLine[] = [[]];
  let used = 0;
  const newLine = () => {
    lines.push([]);
    used = 0;
  };
  for (const piece of pieces) {
    if (used > 0 && used + displayWidth(piece.text.trimEnd()) > limit) newLine();
    if (displayWidth(piece.text.trimEnd()) <= limit - used) {
      lines[lines.length - 1]!.push(piece);
      used += displayWidth(piece.text);
      continue;
    }
    for (const part of splitToWidth(piece.text, limit, limit - used)) {
      if (used > 0 && used + displayWidth(part) > limit) newLine();
      lines[lines.length - 1]!.push({ ...piece, text: part });
      used += displayWidth(part);
    }
  }
  return lines.map((line) => mergeSpans(trimEndOfLine(line)));
}

function trimEndOfLine(line: StyledLine): StyledLine {
  const trimmed = [...line];
  while (trimmed.length > 0 && trimmed[trimmed.length - 1]!.text.trim() === '') trimmed.pop();
  const last = trimmed[trimmed.length - 1];
  if (last) trimmed[trimmed.length - 1] = { ...last, text: last.text.trimEnd() };
  return trimmed;
}

/** Pieces of `text` no wider than `width`, the first no wider than `first`. */
function splitToWidth(text: string, width: number, first: number): string[] {
  const parts: string[] = [];
  let current = '';
  let room = first > 0 ? first : width;
  let used = 0;
  for (const char of text) {
    const charWidth = displayWidth(char);
    if (used + charWidth > room && current !== '') {
      parts.push(current);
      current = '';
      used = 0;
      room = width;
    }
    current += char;
    used += charWidth;
  }
  if (current !== '') parts.push(current);
  return parts;
}

/** Pads (or cuts) a line to exactly `width` columns, the text placed left, centred or right. */
export function alignLine(line: StyledLine, width: number, align: 'left' | 'center' | 'right' | null = 'left'): StyledLine {
  const free = width - lineWidth(line);
  if (free <= 0) return line;
  const left = align === 'right' ? free : align === 'center' ? Math.floor(free / 2) : 0;
  return [...(left > 0 ? [{ text: ' '.repeat(left) }] : []), ...line, ...(free - left > 0 ? [{ text: ' '.repeat(free - left) }] : [])];
}

function sameStyle(a: StyledSpan, b: StyledSpan): boolean {
  return (
    a.bold === b.bold &&
    a.italic === b.italic &&
    a.underline === b.underline &&
    a.strikethrough === b.strikethrough &&
    a.dim === b.dim &&
    a.color === b.color
  );
}

function mergeSpans(line: StyledLine): StyledLine {
  const merged: StyledLine = [];
  for (const span of line) {
    const last = merged[merged.length - 1];
    if (last && sameStyle(last, span)) merged[merged.length - 1] = { ...last, text: last.text + span.text };
    else merged.push(span);
  }
  return merged;
}
