import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LessonFormatError, parseLesson, stepTitles } from './parse.js';
import type { LessonMeta } from './schema.js';

const trackDirPattern = /^(\d\d)-([a-z][a-z0-9]*)$/;
const lessonFilePattern = /^(\d\d)-([a-z0-9][a-z0-9-]*)\.md$/;

/**
 * Reads every lesson under `<root>/lessons` into the metadata the index holds. The build runs this once and
 * embeds the result, so `list` parses no Markdown; tests run it directly on the source tree.
 */
export function loadLessons(root: string): LessonMeta[] {
  const lessonsDir = join(root, 'lessons');
  const lessons: LessonMeta[] = [];
  for (const trackDir of readdirSync(lessonsDir).sort()) {
    const trackMatch = trackDirPattern.exec(trackDir);
    if (!trackMatch) continue;
    const [, trackNn, track] = trackMatch as unknown as [string, string, string];
    const trackPath = join(lessonsDir, trackDir);
    const trackTitle = readTrackTitle(trackPath, track);
    for (const fileName of readdirSync(trackPath).sort()) {
      if (fileName === 'README.md' || !fileName.endsWith('.md')) continue;
      const file = relative(root, join(trackPath, fileName));
      const fileMatch = lessonFilePattern.exec(fileName);
      if (!fileMatch) throw new LessonFormatError(file, 1, 'a lesson file is named <nn>-<slug>.md');
      const [, lessonNn, slug] = fileMatch as unknown as [string, string, string];
      const parsed = parseLesson(file, readFileSync(join(root, file), 'utf8'));
      lessons.push({
        ...parsed.frontMatter,
        id: `${track}/${slug}`,
        short: `${Number(trackNn)}.${Number(lessonNn)}`,
        track,
        trackNumber: Number(trackNn),
        trackTitle,
        number: Number(lessonNn),
        slug,
        steps: stepTitles(parsed.body),
        file,
        checker: `checkers/${trackDir}/${lessonNn}-${slug}.ts`,
        next: null,
      });
    }
  }
  lessons.forEach((lesson, index) => (lesson.next = lessons[index + 1]?.id ?? null));
  return lessons;
}

/** A track's title is the first heading of its README.md, e.g. `# Orientation`. */
function readTrackTitle(trackPath: string, fallback: string): string {
  const readme = join(trackPath, 'README.md');
  if (!existsSync(readme)) return fallback;
  const heading = /^#\s+(.+)$/m.exec(readFileSync(readme, 'utf8'));
  return heading?.[1]?.trim() ?? fallback;
}
