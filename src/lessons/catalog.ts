import { usageError } from '../errors/index.js';
import type { LessonMeta } from './schema.js';

/** The lessons in course order, looked up by id (`cgroups/memory-limits`) or short form (`2.3`). */
export class Catalog {
  readonly lessons: readonly LessonMeta[];
  private readonly byKey = new Map<string, LessonMeta>();

  constructor(lessons: readonly LessonMeta[]) {
    this.lessons = lessons;
    for (const lesson of lessons) {
      this.byKey.set(lesson.id, lesson);
      this.byKey.set(lesson.short, lesson);
    }
  }

  get(key: string): LessonMeta | undefined {
    return this.byKey.get(key.trim());
  }

  /** The lesson, or a usage error (exit 2) that suggests the closest ids. */
  require(key: string): LessonMeta {
    const lesson = this.get(key);
    if (lesson) return lesson;
    const close = this.suggest(key);
    throw usageError(
      `unknown lesson "${key}"`,
      close.length > 0
        ? `Did you mean ${close.map((id) => `"${id}"`).join(' or ')}? \`isolab list\` shows every lesson.`
        : '`isolab list` shows every lesson id (e.g. orientation/your-machine, or its short form 0.1).',
    );
  }

  /** Up to three ids whose id, slug or short form is close to what was typed. */
  suggest(key: string): string[] {
    const typed = key.trim().toLowerCase();
    const scored = this.lessons.map((lesson) => {
      const candidates = [lesson.id, lesson.slug, lesson.short];
      const distance = Math.min(...candidates.map((candidate) => editDistance(typed, candidate)));
      const contains = candidates.some((candidate) => typed.length >= 3 && candidate.includes(typed));
      return { id: lesson.id, score: contains ? 0 : distance, limit: Math.max(2, Math.floor(typed.length / 3)) };
    });
    return scored
      .filter((entry) => entry.score <= entry.limit)
      .sort((a, b) => a.score - b.score)
      .slice(0, 3)
      .map((entry) => entry.id);
  }
}

/** Levenshtein distance; the strings here are a few dozen characters, so the simple table is enough. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
