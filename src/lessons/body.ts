import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LessonMeta } from './schema.js';

const fence = /^---[ \t]*$/;

/** The body without its front matter, for `show`: no YAML parsing, the index already holds the metadata. */
export function bodyOf(text: string): string {
  const lines = text.split('\n');
  if (!fence.test(lines[0] ?? '')) return text;
  const end = lines.findIndex((line, index) => index > 0 && fence.test(line));
  return end < 0 ? text : lines.slice(end + 1).join('\n');
}

/** A lesson's Markdown body as the learner reads it, from the lesson file under `root` (the checkout). */
export function readLessonBody(root: string, lesson: Pick<LessonMeta, 'file'>): string {
  return bodyOf(readFileSync(join(root, lesson.file), 'utf8'));
}
