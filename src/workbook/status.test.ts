import { describe, expect, it } from 'vitest';
import { emptyLessonProgress, type LessonProgress } from '../progress/index.js';
import type { VerifyDocument } from '../report/index.js';
import { lessonIndex } from 'isolab:lesson-index';
import { hintsOf, lessonAfter, listEntry, type LessonEvent } from './status.js';

const lesson = lessonIndex.find((candidate) => candidate.short === '0.1')!;
const open = { available: true, reasons: [] };
const locked = { available: false, reasons: ['needs cgroup v2'] };

function verified(status: 'pass' | 'fail', passed: number, total: number): VerifyDocument {
  const checks = Array.from({ length: total }, (_, index) => ({
    id: `c${index}`,
    title: `check ${index}`,
    status: index < passed ? ('pass' as const) : ('fail' as const),
    message: '',
    observed: { index },
    hint: index < passed ? null : `try ${index}`,
    durationMs: 1,
  }));
  return { version: 1, isolab: '9.9.9', lesson: lesson.id, short: lesson.short, title: lesson.title, status, source: 'live', checks, startedAt: '2025-01-02T03:04:05.000Z', durationMs: 1, env: { kind: 'vm', cgroupMode: 'v2' } };
}

describe('listEntry', () => {
  it('applies the status rules: a recorded pass wins over the gate, the gate over in progress', () => {
    const done: LessonProgress = { ...emptyLessonProgress(), status: 'done' };
    expect(listEntry(lesson, done, locked)).toMatchObject({ status: 'done', lockedReasons: [] });
    expect(listEntry(lesson, emptyLessonProgress(), locked)).toMatchObject({ status: 'locked', lockedReasons: ['needs cgroup v2'] });
    expect(listEntry(lesson, emptyLessonProgress(), open)).toMatchObject({ status: 'in-progress', lockedReasons: [] });
    expect(listEntry(lesson, undefined, open)).toEqual({
      id: lesson.id,
      short: '0.1',
      track: lesson.track,
      title: lesson.title,
      minutes: lesson.minutes,
      kind: lesson.kind,
      fastPath: lesson.fastPath,
      status: 'available',
      lockedReasons: [],
    });
  });

  it('keeps a lesson done when a later verify fails, and carries that verify beside the status', () => {
    const passed = lessonAfter(emptyLessonProgress(), verify('pass', 4, 4), new Date('2025-01-01T00:00:00Z'));
    const entry = lessonAfter(passed, verify('fail', 0, 4))!;
    expect(entry).toMatchObject({ status: 'done', attempts: 2, completedAt: '2025-01-01T00:00:00.000Z', passedWith: '9.9.9' });
    expect(listEntry(lesson, entry, open)).toMatchObject({
      status: 'done',
      lastVerify: { status: 'fail', at: '2025-01-02T03:04:05.000Z', passed: 0, total: 4 },
    });
  });
});

const verify = (status: 'pass' | 'fail', passed: number, total: number, record: 'always' | 'pass' = 'always'): LessonEvent => ({
  kind: 'verify',
  result: verified(status, passed, total),
  record,
});

describe('lessonAfter', () => {
  it('records the counts and the first failing hint, and the evidence of a pass', () => {
    const entry = lessonAfter(undefined, verify('fail', 1, 3), new Date('2025-01-01T00:00:00Z'))!;
    expect(entry).toMatchObject({ status: 'in-progress', attempts: 1, startedAt: '2025-01-01T00:00:00.000Z', lastVerify: { status: 'fail', passed: 1, total: 3, hint: 'try 1' } });
    expect(entry.evidence).toBeUndefined();
    const passed = lessonAfter(entry, verify('pass', 2, 2))!;
    expect(passed).toMatchObject({ status: 'done', lastVerify: { status: 'pass', passed: 2, total: 2 }, evidence: { c0: { index: 0 }, c1: { index: 1 } } });
    expect(passed.lastVerify?.hint).toBeUndefined();
    expect(entry.status).toBe('in-progress');
  });

  it('records a watch run only when it passes a lesson not done yet', () => {
    expect(lessonAfter(undefined, verify('fail', 0, 2, 'pass'))).toBeUndefined();
    const done = lessonAfter(undefined, verify('pass', 2, 2, 'pass'))!;
    expect(done).toMatchObject({ status: 'done', attempts: 1 });
    expect(lessonAfter(done, verify('pass', 2, 2, 'pass'))).toBeUndefined();
  });

  it('starts a lesson without undoing a pass, and keeps when its setup ran', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    expect(lessonAfter(undefined, { kind: 'start', setup: true }, now)).toMatchObject({ status: 'in-progress', setupAt: '2025-01-01T00:00:00.000Z' });
    const done = lessonAfter(undefined, verify('pass', 1, 1))!;
    const started = lessonAfter(done, { kind: 'start', setup: false })!;
    expect(started.status).toBe('done');
    expect(started.setupAt).toBeUndefined();
  });

  it('shows one more hint up to the last, and trims answers', () => {
    let entry: LessonProgress | undefined;
    for (let i = 0; i < 4; i++) entry = lessonAfter(entry, { kind: 'hint', total: 3 });
    expect(entry?.hintsShown).toBe(3);
    expect(hintsOf({ hints: ['a', 'b', 'c', 'd'] }, entry)).toEqual({ shown: ['a', 'b', 'c'], total: 4, fromLastVerify: undefined });
    expect(lessonAfter(entry, { kind: 'answer', key: 'uid', value: ' 0 \n' })?.answers).toEqual({ uid: '0' });
  });
});
