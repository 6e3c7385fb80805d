import type { LessonMeta } from '../lessons/index.js';
import { courseCount, type CourseCount, type ListEntry } from '../report/index.js';

export type { ListEntry };
export type CourseMode = 'full' | 'fast';

export type HomeRow =
  | { kind: 'track'; key: string; number: number; title: string }
  | { kind: 'lesson'; key: string; entry: ListEntry };

type TrackInfo = Pick<LessonMeta, 'id' | 'trackNumber' | 'trackTitle'>;

/** The lessons the home screen shows, under their track headings: fast path or all, then the text filter. */
export function homeRows(
  entries: readonly ListEntry[],
  lessons: readonly TrackInfo[],
  view: { mode: CourseMode; filter: string },
): HomeRow[] {
  const rows: HomeRow[] = [];
  let track: string | undefined;
  for (const entry of entries) {
    if (view.mode === 'fast' && !entry.fastPath) continue;
    const meta = lessons.find((lesson) => lesson.id === entry.id);
    if (!matchesFilter(entry, meta?.trackTitle ?? entry.track, view.filter)) continue;
    if (entry.track !== track) {
      track = entry.track;
      rows.push({ kind: 'track', key: `track:${track}`, number: meta?.trackNumber ?? 0, title: meta?.trackTitle ?? track });
    }
    rows.push({ kind: 'lesson', key: entry.id, entry });
  }
  return rows;
}

/** Every word of the filter must occur in the short id, id, title, kind or track title (any case). */
export function matchesFilter(entry: ListEntry, trackTitle: string, filter: string): boolean {
  const haystack = [entry.short, entry.id, entry.title, entry.kind, trackTitle].join(' ').toLowerCase();
  return filter
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** Progress over the lessons of the chosen course, with what is locked on this machine (as `isolab list` counts). */
export function progressOf(entries: readonly ListEntry[], mode: CourseMode): CourseCount {
  return courseCount(entries.filter((entry) => mode === 'full' || entry.fastPath));
}

export type StartView = { screen: 'home'; cursor: string | undefined } | { screen: 'lesson'; lesson: string };

/**
 * Where the workbook opens: in the lesson the learner left unfinished, else on the home screen at the first
 * lesson after the last one they worked on that is not done yet.
 */
export function startView(entries: readonly ListEntry[], lastLesson: string | undefined): StartView {
  const last = entries.findIndex((entry) => entry.id === lastLesson);
  if (last >= 0 && entries[last]!.status !== 'done') return { screen: 'lesson', lesson: entries[last]!.id };
  const after = entries.slice(last + 1).find((entry) => entry.status !== 'done' && entry.status !== 'locked');
  const first = entries.find((entry) => entry.status !== 'done' && entry.status !== 'locked');
  return { screen: 'home', cursor: (after ?? first ?? entries[0])?.id };
}
