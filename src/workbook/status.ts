import type { GateResult, LessonMeta } from '../lessons/index.js';
import type { LessonProgress } from '../progress/index.js';
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

/** What a full verify (not a watch's partial run) leaves in the lesson's progress. */
export function recordVerifyResult(entry: LessonProgress, result: VerifyDocument, now = new Date()): void {
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
