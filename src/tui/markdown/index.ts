// The Markdown side of the workbook (marked, highlight.js): its own chunk, loaded when a lesson is first shown,
// so the home screen comes up without it.
export { parseLessonText, type LessonText, type StepSection } from './lesson-text.js';
export { layoutMarkdown, type MarkdownLine, type MarkdownOptions } from './layout-markdown.js';
export { renderMarkdown } from './render-markdown.js';
