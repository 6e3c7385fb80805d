import type { GateResult, LessonMeta } from '../lessons/index.js';
import { emptyLessonProgress, type LessonProgress, type Progress } from '../progress/index.js';
import type { LastVerify, ListEntry, LessonStatus, VerifyDocument } from '../report/index.js';

// The status rules, once: the Workbook and the TUI's test double both list and record through these, so the
// double cannot drift from what `isolab list` says.

/**
 * A lesson as `isolab list` shows it. A recorded pass wins over the gate (progress carried to another machine
 * stays done) and over a later failing verify: the pass happened, and a state lesson's lab is usually cleaned up
 * after it. That later verify is kept beside the status (`lastVerify`) so both facts can be shown.
 */
export function listEntry(lesson: LessonMeta, progress: LessonProgress | undefined, gate: GateResult): ListEntry {
  const status: LessonStatus = progress?.status === 'done' ? 'done' : !gate.available ? 'locked' : progress ? 'in-progress' : 'available';
  const lastVerify = lastVerifyOf(progress);
  return {
    id: lesson.id,
    short: lesson.short,
    track: lesson.track,
    title: lesson.title,
    minutes: lesson.minutes,
    kind: lesson.kind,
    fastPath: lesson.fastPath,
    status,
    lockedReasons: status === 'locked' ? gate.reasons : [],
    ...(lastVerify ? { lastVerify } : {}),
  };
}

function lastVerifyOf(progress: LessonProgress | undefined): LastVerify | undefined {
  const last = progress?.lastVerify;
  if (!last || (last.status !== 'pass' && last.status !== 'fail' && last.status !== 'error')) return undefined;
  return {
    status: last.status,
    at: last.at,
    ...(last.passed !== undefined ? { passed: last.passed } : {}),
    ...(last.total !== undefined ? { total: last.total } : {}),
  };
}

/** What the learner did to a lesson, as the progress records it. */
export type LessonEvent =
  /** `always` (verify) records every run as an attempt; `pass` (watch) only a pass, and only while not done. */
  | { kind: 'verify'; result: VerifyDocument; record: 'always' | 'pass' }
  /** `isolab start`: `setup` when the checker has a setup that ran. */
  | { kind: 'start'; setup: boolean }
  /** One more front-matter hint shown, of `total`. */
  | { kind: 'hint'; total: number }
  | { kind: 'answer'; key: string; value: string };

/**
 * The lesson's progress after `event`, or undefined when the event records nothing (a failing watch run, a watch
 * pass while the lesson is already done). Pure: `entry` is not changed, and an entry made for a lesson without
 * one starts now.
 */
export function lessonAfter(entry: LessonProgress | undefined, event: LessonEvent, now = new Date()): LessonProgress | undefined {
  if (event.kind === 'verify' && event.record === 'pass' && (event.result.status !== 'pass' || entry?.status === 'done')) return undefined;
  const next: LessonProgress = entry ? structuredClone(entry) : { ...emptyLessonProgress(), startedAt: now.toISOString() };
  switch (event.kind) {
    case 'verify':
      recordVerifyResult(next, event.result, now);
      break;
    case 'start':
      if (next.status !== 'done') next.status = 'in-progress';
      if (event.setup) next.setupAt = now.toISOString();
      break;
    case 'hint':
      next.hintsShown = Math.min(next.hintsShown + 1, event.total);
      break;
    case 'answer':
      next.answers[event.key] = event.value.trim();
      break;
  }
  return next;
}

/**
 * Records `event` in `progress` (the draft a store update writes): the lesson's entry becomes `lessonAfter`'s,
 * and the lesson the one the learner is on unless `last` is false. Nothing changes when the event records nothing.
 */
export function recordEvent(progress: Progress, lessonId: string, event: LessonEvent, options: { last?: boolean } = {}): void {
  const next = lessonAfter(progress.lessons[lessonId], event);
  if (!next) return;
  progress.lessons[lessonId] = next;
  if (options.last !== false) progress.lastLesson = lessonId;
}

/** The hints a lesson has shown so far, and the one its last verify computed. */
export function hintsOf(lesson: Pick<LessonMeta, 'hints'>, entry: LessonProgress | undefined): { shown: string[]; total: number; fromLastVerify: string | undefined } {
  return { shown: lesson.hints.slice(0, entry?.hintsShown ?? 0), total: lesson.hints.length, fromLastVerify: entry?.lastVerify?.hint };
}

/** What a full verify (not a watch's partial run) leaves in the lesson's progress. */
function recordVerifyResult(entry: LessonProgress, result: VerifyDocument, now: Date): void {
  const failing = result.checks.find((check) => check.status !== 'pass');
  entry.attempts += 1;
  entry.lastVerify = {
    status: result.status,
    at: result.startedAt,
    passed: result.checks.filter((check) => check.status === 'pass').length,
    total: result.checks.length,
    ...(failing?.hint ? { hint: failing.hint } : {}),
  };
  if (result.status === 'pass') {
    entry.status = 'done';
    entry.completedAt ??= now.toISOString();
    entry.evidence = Object.fromEntries(result.checks.map((check) => [check.id, check.observed]));
    entry.passedWith = result.isolab;
  }
}
