import { join } from 'node:path';
import { usageError } from '../errors/index.js';
import { linkOnTheWay, readFileNoFollow } from '../system/index.js';
import type { LessonMeta } from './schema.js';

const fence = /^---[ \t]*$/;

/** The body without its front matter, for `show`: no YAML parsing, the index already holds the metadata. */
export function bodyOf(text: string): string {
  const lines = text.split('\n');
  if (!fence.test(lines[0] ?? '')) return text;
  const end = lines.findIndex((line, index) => index > 0 && fence.test(line));
  return end < 0 ? text : lines.slice(end + 1).join('\n');
}

/**
 * A lesson's Markdown body as the learner reads it, from the lesson file under `root` (the checkout). A link in
 * its place is refused: isolab may read it as root, and the link could point at any file on the machine.
 */
export function readLessonBody(root: string, lesson: Pick<LessonMeta, 'file'>): string {
  const link = linkOnTheWay(root, lesson.file);
  if (link) {
    throw usageError(
      `${link} is a symbolic link: isolab reads lesson files only from the course's own tree (as root, a link could show any file)`,
      `Restore the course's file: git -C ${root} checkout -- ${lesson.file}`,
    );
  }
  return bodyOf(readFileNoFollow(join(root, lesson.file)));
}
