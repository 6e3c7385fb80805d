import { editDistance } from '../command/index.js';
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

  /** The lesson, or a usage error (exit 2) that suggests the closest ones, in the form that was typed. */
  require(key: string): LessonMeta {
    const lesson = this.get(key);
    if (lesson) return lesson;
    const close = this.suggest(key);
    const named = close.map((candidate) => (looksShort(key) ? `"${candidate.short}" (${candidate.id})` : `"${candidate.id}"`));
    throw usageError(
      `unknown lesson "${key}"`,
      named.length > 0
        ? `Did you mean ${orList(named)}? \`isolab list\` shows every lesson.`
        : '`isolab list` shows every lesson id (e.g. orientation/your-machine, or its short form 0.1).',
    );
  }

  /**
   * Up to three lessons closest to what was typed, compared in its own form: a short form (`1.21`) with the short
   * forms, anything else with the ids and slugs. Comparing `1.21` with slugs too made `namespaces/uts` look as close
   * as `1.12`. Only the closest tier is kept; among equals, a pair of swapped characters (`1.21` for `1.12`) first,
   * then course order.
   */
  suggest(key: string): LessonMeta[] {
    const typed = key.trim().toLowerCase();
    if (typed === '') return [];
    const short = looksShort(typed);
    // A short form is a few characters: two edits turn 1.21 into most of the course.
    const limit = short ? 1 : Math.max(2, Math.floor(typed.length / 3));
    const scored = this.lessons.map((lesson, order) => {
      const forms = short ? [lesson.short] : [lesson.id, lesson.slug];
      const contains = !short && typed.length >= 3 && forms.some((form) => form.includes(typed));
      const score = contains ? 0 : Math.min(...forms.map((form) => editDistance(typed, form)));
      const swapped = forms.some((form) => form.length === typed.length && sortedChars(form) === sortedChars(typed));
      return { lesson, score, swapped, order };
    });
    const close = scored.filter((entry) => entry.score <= limit);
    const best = Math.min(...close.map((entry) => entry.score));
    return close
      .filter((entry) => entry.score === best)
      .sort((a, b) => Number(b.swapped) - Number(a.swapped) || a.order - b.order)
      .slice(0, 3)
      .map((entry) => entry.lesson);
  }
}

/** Short forms (`2.3`) start with a digit; ids (`cgroups/memory-limits`) and slugs never do. */
function looksShort(key: string): boolean {
  return /^\d/.test(key.trim());
}

function sortedChars(text: string): string {
  return [...text].sort().join('');
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"` */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
