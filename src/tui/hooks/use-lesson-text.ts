import { useMemo, type ReactElement } from 'react';
import type { LessonMeta } from '../../lessons/index.js';
import { describeError } from '../errors.js';
import type { MarkdownLine } from '../markdown/layout-markdown.js';
import type { LessonText } from '../markdown/lesson-text.js';
import { renderLine } from '../markdown/render-line.js';
import type { WorkbookApi } from '../services.js';
import { useTheme } from '../theme.js';
import { useMarkdown, type MarkdownModule } from './use-markdown.js';

export interface LessonLines {
  text: LessonText;
  /** The text laid out, one entry per screen line. */
  lines: readonly MarkdownLine[];
  elements: readonly ReactElement[];
  /** The line each step's heading is on (-1 while the text is loading). */
  stepLines: readonly number[];
}

const noText: LessonText = { tokens: [], steps: [] };
const loadingLines: MarkdownLine[] = [{ tokenIndex: 0, spans: [{ text: 'Loading the lesson…', dim: true }] }];

/** The lesson's text from the workbook, laid out `width` columns wide, once the Markdown chunk has loaded. */
export function useLessonText(workbook: WorkbookApi, lesson: LessonMeta, width: number): LessonLines {
  const theme = useTheme();
  const markdown = useMarkdown();
  const text = useMemo(() => (markdown ? readLesson(markdown, workbook, lesson) : noText), [markdown, workbook, lesson]);
  const lines = useMemo(() => (markdown ? markdown.layoutMarkdown(text.tokens, { width, theme }) : loadingLines), [markdown, text, width, theme]);
  const elements = useMemo(() => lines.map((line, index) => renderLine(line.spans, `line-${index}`)), [lines]);
  const stepLines = useMemo(() => text.steps.map((step) => lines.findIndex((line) => line.tokenIndex === step.tokenIndex)), [text, lines]);
  return { text, lines, elements, stepLines };
}

/** A lesson file that cannot be read is said in its place: the rest of the lesson (verify, hints) still works. */
function readLesson(markdown: MarkdownModule, workbook: WorkbookApi, lesson: LessonMeta): LessonText {
  try {
    return markdown.parseLessonText(workbook.lessonText(lesson));
  } catch (error) {
    return markdown.parseLessonText(`The text of ${lesson.short} could not be read: ${describeError(error)}`);
  }
}
