import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { LessonProgress } from '../../progress/index.js';
import type { Checker } from '../../verify/index.js';
import { Workbook, type VerifyOptions } from '../../workbook/index.js';
import type { WorkbookApi } from '../services.js';
import { FakeWorkbook } from './fake-workbook.js';

// The TUI's tests run against FakeWorkbook. If its answers drifted from the Workbook's, they would test a TUI
// over a workbook that does not exist: so both get the same actions, and must read back the same progress.

const real = await Workbook.open({ home: mkdtempSync(join(tmpdir(), 'isolab-parity-')) });
// A lesson with questions this machine does not lock (the fake locks nothing).
const lesson = real.catalog.lessons.find((candidate) => candidate.questions.length > 0 && candidate.kind !== 'scenario' && real.gate(candidate).available)!;
const other = real.catalog.lessons.find((candidate) => candidate.id !== lesson.id)!;

/** Whether each check passes in the next verify; both workbooks run the same checks. */
let passing = [true, false];
const ids = ['first', 'second'];
const checker: Checker = {
  checks: ids.map((id, index) => ({
    id,
    title: `the ${id} check`,
    tag: 'observe' as const,
    run: async () => (passing[index] ? { pass: true, message: 'fine', observed: { index } } : { pass: false, message: 'not yet', hint: `fix ${id}` }),
  })),
  setup: async () => {},
};
vi.spyOn(real, 'checker').mockResolvedValue(checker);

const fake = new FakeWorkbook([...real.catalog.lessons]);
fake.hasSetup = () => true;
const scriptFake = () => {
  fake.checks[lesson.id] = ids.map((id, index) => ({
    result: passing[index]
      ? { id, title: `the ${id} check`, status: 'pass' as const, message: 'fine', observed: { index } }
      : { id, title: `the ${id} check`, status: 'fail' as const, message: 'not yet', hint: `fix ${id}` },
  }));
};

/** What each workbook shows of the lesson; times and versions differ by nature and are only said to be there. */
function reading(workbook: WorkbookApi) {
  const entry = workbook.list().lessons.find((candidate) => candidate.id === lesson.id)!;
  return { entry: withoutTimes(entry), progress: withoutTimes(workbook.lessonProgress(lesson)), last: workbook.lastLesson()?.id };
}

function withoutTimes<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null), (key, field) => (['at', 'startedAt', 'completedAt', 'setupAt', 'passedWith'].includes(key) && typeof field === 'string' ? 'set' : field));
}

type Action = [name: string, act: (workbook: WorkbookApi) => Promise<unknown>];
const verify = (checks: boolean[], options: VerifyOptions = {}): Action => [
  `verify ${checks.map((pass) => (pass ? 'pass' : 'fail')).join('/')}${options.record ? ` record:${options.record}` : ''}`,
  async (workbook) => {
    passing = checks;
    scriptFake();
    return (await workbook.verify(lesson, options)).status;
  },
];

const actions: Action[] = [
  ['nothing yet', async () => undefined],
  ['hint', (workbook) => workbook.hint(lesson)],
  ...Array.from({ length: lesson.hints.length + 1 }, (): Action => ['hint again', (workbook) => workbook.hint(lesson)]),
  ['answer', (workbook) => workbook.answer(lesson, lesson.questions[0]!.key, '  42 ')],
  verify([true, false], { record: 'pass' }),
  verify([true, false]),
  ['open another lesson', (workbook) => workbook.opened(other)],
  ['start', (workbook) => workbook.start(lesson)],
  verify([true, true], { record: 'pass' }),
  verify([true, true], { record: 'pass' }),
  ['start again', (workbook) => workbook.start(lesson)],
  verify([false, true], { sweep: true }),
  ['open the lesson', (workbook) => workbook.opened(lesson)],
];

describe('FakeWorkbook', () => {
  it(`records what the Workbook records, action by action (on ${lesson.short})`, async () => {
    for (const [name, act] of actions) {
      const answers = [await act(real), await act(fake)];
      expect({ name, answer: withoutTimes(answers[1]) }).toEqual({ name, answer: withoutTimes(answers[0]) });
      expect({ name, ...reading(fake) }).toEqual({ name, ...reading(real) });
    }
    const progress = real.lessonProgress(lesson) as LessonProgress;
    // The sequence reached what it is for: a pass that a later failing verify did not undo.
    expect(progress).toMatchObject({ status: 'done', lastVerify: { status: 'fail' } });
  });
});

