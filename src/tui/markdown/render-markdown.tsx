import type { Token } from 'marked';
import type { ReactElement } from 'react';
import { layoutMarkdown, type MarkdownOptions } from './layout-markdown.js';
import { renderLine } from './render-line.js';

/** Markdown tokens → one ink element per screen line. Pure: the same tokens and width give the same lines. */
export function renderMarkdown(tokens: readonly Token[], options: MarkdownOptions): ReactElement[] {
  return layoutMarkdown(tokens, options).map((line, index) => renderLine(line.spans, `line-${index}`));
}
