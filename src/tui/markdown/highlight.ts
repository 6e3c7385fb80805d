import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import json from 'highlight.js/lib/languages/json';
import typescript from 'highlight.js/lib/languages/typescript';
import yaml from 'highlight.js/lib/languages/yaml';

// Only the languages the lessons use: the whole of highlight.js costs ~95 ms at start, the core ~22 ms.
hljs.registerLanguage('bash', bash);
hljs.registerLanguage('typescript', typescript);
hljs.registerLanguage('json', json);
hljs.registerLanguage('yaml', yaml);
hljs.registerAliases(['sh', 'shell', 'console', 'zsh'], { languageName: 'bash' });

/** A run of code text and the highlight.js scope it belongs to (`keyword`, `string`, `comment`…), if any. */
export interface CodeSegment {
  text: string;
  scope?: string;
}

/** The code's lines, each split into scoped segments; unknown or missing languages come back unscoped. */
export function highlightCode(code: string, language: string | undefined): CodeSegment[][] {
  const lines = code.replace(/\n$/, '').split('\n');
  const name = language?.trim().toLowerCase();
  if (!name || !hljs.getLanguage(name)) return lines.map((line) => (line ? [{ text: line }] : []));
  return splitLines(segmentsOf(hljs.highlight(code.replace(/\n$/, ''), { language: name, ignoreIllegals: true }).value));
}

/** highlight.js renders `<span class="hljs-…">` HTML; its only other markup is the five escaped characters. */
function segmentsOf(html: string): CodeSegment[] {
  const segments: CodeSegment[] = [];
  const scopes: string[] = [];
  for (const match of html.matchAll(/<span class="([^"]*)">|<\/span>|([^<]+)/g)) {
    if (match[1] !== undefined) scopes.push(scopeOf(match[1]));
    else if (match[2] !== undefined) {
      const scope = innermost(scopes);
      segments.push(scope ? { text: unescapeHtml(match[2]), scope } : { text: unescapeHtml(match[2]) });
    } else scopes.pop();
  }
  return segments;
}

function innermost(scopes: readonly string[]): string | undefined {
  for (let index = scopes.length - 1; index >= 0; index--) if (scopes[index]) return scopes[index];
  return undefined;
}

/** `hljs-title function_` → `title`; sub-scopes only refine the colour we would pick anyway. */
function scopeOf(className: string): string {
  return /(?:^|\s)hljs-([a-z_]+)/.exec(className)?.[1] ?? '';
}

function splitLines(segments: CodeSegment[]): CodeSegment[][] {
  const lines: CodeSegment[][] = [[]];
  for (const segment of segments) {
    segment.text.split('\n').forEach((part, index) => {
      if (index > 0) lines.push([]);
      if (part) lines[lines.length - 1]!.push(segment.scope ? { text: part, scope: segment.scope } : { text: part });
    });
  }
  return lines;
}

const entities: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#x27;': "'", '&#39;': "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(?:lt|gt|amp|quot|#x27|#39);/g, (entity) => entities[entity] ?? entity);
}
