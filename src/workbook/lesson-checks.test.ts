import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { LessonMeta } from '../lessons/index.js';
import { lessonIndex } from '../lessons/source-index.js';
import { documentVersion, type VerifyDocument } from '../report/index.js';
import type { FileWatcher } from './file-watcher.js';
import { LessonChecks, watchPlan, type RunListener } from './lesson-checks.js';
import type { VerifyOptions } from './workbook.js';

const codeLesson = lessonIndex.find((lesson) => lesson.kind === 'code' && lesson.exercises.length > 0)!;
const stateLesson = lessonIndex.find((lesson) => lesson.kind === 'state')!;

function document(lesson: LessonMeta): VerifyDocument {
  const base = { version: documentVersion as 1, isolab: '0.0.0', lesson: lesson.id, short: lesson.short, title: lesson.title, startedAt: new Date(0).toISOString(), env: { kind: 'vm', cgroupMode: 'v2' as const } };
  return { ...base, status: 'pass', source: 'live', checks: [], durationMs: 0 };
}

/** A verify that takes `ms` (or until cancelled), logging how each run ended and how many ran at once. */
function slowVerify(ms: number) {
  const runs: Array<{ record: VerifyOptions['record']; ended?: 'done' | 'cancelled' }> = [];
  let running = 0;
  let mostAtOnce = 0;
  const verify = async (lesson: LessonMeta, options: VerifyOptions): Promise<VerifyDocument> => {
    const run: (typeof runs)[number] = { record: options.record };
    runs.push(run);
    mostAtOnce = Math.max(mostAtOnce, ++running);
    try {
      await sleep(ms, undefined, { signal: options.signal });
      run.ended = 'done';
      return document(lesson);
    } catch (error) {
      run.ended = 'cancelled';
      throw error;
    } finally {
      running--;
    }
  };
  return { verify, runs, mostAtOnce: () => mostAtOnce };
}

/** A file watcher the test triggers. */
function handWatcher(): { watchFiles: FileWatcher; change: () => void; watching: () => boolean } {
  let listener: (() => void) | undefined;
  return {
    watchFiles: (_paths, onChange) => {
      listener = onChange;
      return () => (listener = undefined);
    },
    change: () => listener?.(),
    watching: () => listener !== undefined,
  };
}

function recorder(): RunListener & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    start: (source, reason) => events.push(`start ${source} ${reason}`),
    finish: (_document, source) => events.push(`finish ${source}`),
    cancel: (source) => events.push(`cancel ${source}`),
    crash: (error) => events.push(`crash ${String(error)}`),
  };
}

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(5);
  }
}

let session: LessonChecks | undefined;
afterEach(async () => session?.dispose());

describe('LessonChecks', () => {
  it('re-runs a code lesson when its files change, a newer change cancelling the run in progress', async () => {
    const { verify, runs, mostAtOnce } = slowVerify(200);
    const watcher = handWatcher();
    const listener = recorder();
    session = new LessonChecks({ lesson: codeLesson, workspace: '/w', verify, listener, watchFiles: watcher.watchFiles, debounceMs: 10 });
    session.watch(true);
    await until(() => listener.events.includes('finish watch'));
    watcher.change();
    await until(() => runs.length === 2);
    // A second save while the re-run is checking the first: the old run is stopped, the newest code checked.
    watcher.change();
    await until(() => listener.events.filter((event) => event === 'finish watch').length === 2);
    expect(listener.events).toEqual(['start watch start', 'finish watch', 'start watch change', 'cancel watch', 'start watch change', 'finish watch']);
    expect(runs.map((run) => run.ended)).toEqual(['done', 'cancelled', 'done']);
    expect(runs.every((run) => run.record === 'pass')).toBe(true);
    expect(mostAtOnce()).toBe(1);
    // A code lesson is not polled: its checks run workloads, and only its files change.
    await sleep(100);
    expect(runs).toHaveLength(3);
  });

  it('debounces a burst of changes into one run', async () => {
    const { verify, runs } = slowVerify(1);
    const watcher = handWatcher();
    session = new LessonChecks({ lesson: codeLesson, workspace: '/w', verify, listener: {}, watchFiles: watcher.watchFiles, debounceMs: 50 });
    session.watch(true);
    await until(() => runs[0]?.ended === 'done');
    for (let i = 0; i < 5; i++) watcher.change();
    await sleep(150);
    expect(runs).toHaveLength(2);
  });

  it('polls a state lesson while idle, never two runs at once', async () => {
    const { verify, runs, mostAtOnce } = slowVerify(30);
    const listener = recorder();
    session = new LessonChecks({ lesson: stateLesson, workspace: '/w', verify, listener, watchFiles: handWatcher().watchFiles, pollMs: 20 });
    session.watch(true);
    await until(() => runs.length >= 4);
    expect(mostAtOnce()).toBe(1);
    expect(listener.events.slice(0, 4)).toEqual(['start watch start', 'finish watch', 'start watch poll', 'finish watch']);
    session.watch(false);
    const after = runs.length;
    await sleep(100);
    expect(runs.length).toBe(after);
  });

  it('verifies at once while watching: the watch run is cancelled, the verify recorded, and not cancelled by a change', async () => {
    const { verify, runs } = slowVerify(100);
    const watcher = handWatcher();
    const listener = recorder();
    session = new LessonChecks({ lesson: codeLesson, workspace: '/w', verify, listener, watchFiles: watcher.watchFiles, debounceMs: 1 });
    session.watch(true);
    await until(() => runs.length === 1);
    expect(session.verify()).toBe(true);
    // One verify at a time.
    expect(session.verify()).toBe(false);
    await until(() => runs.length === 2);
    watcher.change();
    await until(() => listener.events.filter((event) => event.startsWith('finish')).length === 2);
    expect(listener.events).toEqual(['start watch start', 'cancel watch', 'start verify verify', 'finish verify', 'start watch change', 'finish watch']);
    expect(runs.map((run) => `${run.record} ${run.ended}`)).toEqual(['pass cancelled', 'always done', 'pass done']);
  });

  it('cancels a watch run when watch is turned off, and lets a verify finish when it is disposed', async () => {
    const { verify, runs } = slowVerify(100);
    const listener = recorder();
    const watcher = handWatcher();
    session = new LessonChecks({ lesson: codeLesson, workspace: '/w', verify, listener, watchFiles: watcher.watchFiles });
    session.watch(true);
    await until(() => runs.length === 1);
    session.watch(false);
    expect(watcher.watching()).toBe(false);
    await until(() => listener.events.includes('cancel watch'));
    session.verify();
    await session.dispose();
    expect(runs.map((run) => `${run.record} ${run.ended}`)).toEqual(['pass cancelled', 'always done']);
  });

  it('says what re-runs the checks: file changes for a code lesson, time for the others', () => {
    expect(watchPlan(codeLesson, '/w')).toMatchObject({ files: codeLesson.exercises.map((file) => `/w/${file}`), polls: false, describe: expect.stringContaining(codeLesson.exercises[0]!) });
    expect(watchPlan(stateLesson, '/w')).toEqual({ files: [], polls: true, describe: 'every check re-runs every 2 s' });
  });
});
