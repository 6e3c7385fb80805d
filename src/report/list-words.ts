import type { ListEntry } from './documents.js';

// What `isolab list` and the workbook both say about lessons, in the same words (no colour here: each
// caller styles them its own way).

export interface FailedSinceDone {
  /** Replaces "✓ done" where there is room for the whole truth. */
  done: string;
  /** "✗ last verify failed (0 of 4)", or "! last verify could not run (…)" when checks crashed. */
  last: string;
  /** The home list's column: "✓ done (last ✗)". */
  compact: string;
}

/**
 * A lesson recorded done whose latest verify did not pass. It stays done (the pass happened, and the lab is
 * often cleaned up after it), but saying only "done" above "0 of 4 checks passed" contradicts the screen: both
 * facts are shown. `undefined` when there is no contradiction.
 */
export function failedSinceDone(entry: Pick<ListEntry, 'status' | 'lastVerify'>): FailedSinceDone | undefined {
  const last = entry.lastVerify;
  if (entry.status !== 'done' || !last || last.status === 'pass') return undefined;
  const counts = last.passed !== undefined && last.total !== undefined ? ` (${last.passed} of ${last.total})` : '';
  const mark = last.status === 'error' ? '!' : '✗';
  return {
    done: '✓ done earlier',
    last: last.status === 'error' ? `! last verify could not run${counts}` : `✗ last verify failed${counts}`,
    compact: `✓ done (last ${mark})`,
  };
}

export interface CourseCount {
  done: number;
  total: number;
  /** Not done and locked on this machine: the course cannot be finished here without them. */
  locked: number;
  /** How much of the course this machine allows, rounded down (never promise more than can be done). */
  reachablePercent: number;
  /** "5 of 8 lessons done (3 locked here: can reach 62%)". */
  text: string;
}

/** The progress of a set of lessons (the full course or the fast path), honest about what is locked here. */
export function courseCount(entries: readonly Pick<ListEntry, 'status'>[]): CourseCount {
  const total = entries.length;
  const done = entries.filter((entry) => entry.status === 'done').length;
  const locked = entries.filter((entry) => entry.status === 'locked').length;
  const reachablePercent = total === 0 ? 0 : Math.floor(((total - locked) / total) * 100);
  const lockedText = locked > 0 ? ` (${locked} locked here: can reach ${reachablePercent}%)` : '';
  return { done, total, locked, reachablePercent, text: `${done} of ${total} lessons done${lockedText}` };
}
