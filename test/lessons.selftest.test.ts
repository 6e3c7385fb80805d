/**
 * The lesson self-test: for every lesson this machine can run, verify on the fresh state must not pass; the
 * reference solution is applied for real; verify must then pass; cleanup must leave no lab state behind.
 * Lessons the machine cannot run are skipped, with the reason in the test name.
 */
import { describe, expect, it } from 'vitest';
import { findLabState } from '../src/lab/index.js';
import { runLessonStep } from '../src/verify/index.js';
import { Workbook } from '../src/workbook/index.js';
import { freshHome } from './helpers/cli.js';

const probe = await Workbook.open({ home: freshHome() });

describe.each(probe.catalog.lessons.map((lesson) => [lesson.short, lesson] as const))('lesson %s', (_, lesson) => {
  const gate = probe.gate(lesson);
  const name = gate.available
    ? `${lesson.id}: fails before its solution, passes after, leaves nothing`
    : `${lesson.id}: skipped on this machine (${gate.reasons.join('; ')})`;

  it.skipIf(!gate.available)(name, { timeout: 300_000 }, async () => {
    const workbook = await Workbook.open({ home: freshHome() });
    const labBefore = await findLabState(workbook.system);
    await workbook.cleanup(lesson);
    await workbook.start(lesson);

    const before = await workbook.verify(lesson, { live: true });
    expect(before.status, 'verify passed on a fresh machine: this check proves nothing').not.toBe('pass');
    expect(before.checks.every((check) => check.status !== 'error'), JSON.stringify(before.checks)).toBe(true);

    const checker = await workbook.checker(lesson);
    await runLessonStep('solution', checker.solution, {
      lesson,
      system: workbook.system,
      answers: {},
      workspace: workbook.workspace,
      answer: async (key, value) => void (await workbook.answer(lesson, key, value)),
    });

    const after = await workbook.verify(lesson, { live: true });
    expect(after.checks.filter((check) => check.status !== 'pass'), 'checks still failing after the solution').toEqual([]);
    expect(after.status).toBe('pass');

    await workbook.cleanup(lesson);
    expect(await findLabState(workbook.system)).toEqual(labBefore);
  });
});
