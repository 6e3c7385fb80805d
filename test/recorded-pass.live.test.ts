// verify --all reports a state lesson whose lab was cleaned up by its recorded pass, with the evidence and the
// isolab version that recorded it; --live checks the kernel again. Needs root (lesson 1.6 makes a netns).
import { describe, expect, it } from 'vitest';
import { runLessonStep } from '../src/verify/index.js';
import { Workbook } from '../src/workbook/index.js';
import { freshHome, isolab, isRoot } from './helpers/cli.js';

describe.skipIf(!isRoot)(`verify --all and recorded passes${isRoot ? '' : ' (skipped: needs root)'}`, () => {
  it('reports the recorded pass of a cleaned-up state lesson, and --live checks again', { timeout: 120_000 }, async () => {
    const home = freshHome();
    const workbook = await Workbook.open({ home });
    const lesson = workbook.catalog.require('namespaces/network');
    const checker = await workbook.checker(lesson);
    const context = { lesson, system: workbook.system, answers: {}, workspace: workbook.workspace };
    try {
      await runLessonStep('solution', checker.solution, context);
      expect((await workbook.verify(lesson)).status).toBe('pass');
    } finally {
      await workbook.cleanup(lesson);
    }

    const recorded = JSON.parse(isolab(['verify', '--all', '--json'], { home }).stdout).results.find((result: { lesson: string }) => result.lesson === lesson.id);
    expect(recorded).toMatchObject({ status: 'pass', source: 'recorded' });
    expect(recorded.checks.length).toBeGreaterThan(0);
    expect(recorded.checks[0].message).toMatch(/with isolab \d+\.\d+\.\d+; the recorded observation stands for it/);
    expect(recorded.checks.some((check: { observed: unknown }) => check.observed !== null)).toBe(true);

    const live = JSON.parse(isolab(['verify', '--all', '--live', '--json'], { home }).stdout).results.find((result: { lesson: string }) => result.lesson === lesson.id);
    expect(live).toMatchObject({ status: 'fail', source: 'live' });
  });
});
