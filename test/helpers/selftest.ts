/**
 * The lesson self-test, written once for the host (vitest) and the lanes (node:test): cleanup, then each of the
 * checker's shortcuts on a fresh start (its checks must fail); start, verify must not pass; the reference
 * solution, applied for real; verify must pass; cleanup must leave no lab state.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLabState } from '../../src/lab/index.js';
import type { LessonMeta } from '../../src/lessons/index.js';
import { runLessonStep, type Checker, type Shortcut } from '../../src/verify/index.js';
import { Workbook } from '../../src/workbook/index.js';

export interface SelfTestCase {
  lesson: LessonMeta;
  /** Why this machine cannot run it, or undefined. */
  skip: string | undefined;
}

export async function selfTestCases(): Promise<SelfTestCase[]> {
  const probe = await Workbook.open({ home: freshHome() });
  return probe.catalog.lessons.map((lesson) => {
    const gate = probe.gate(lesson);
    return { lesson, skip: gate.available ? undefined : gate.reasons.join('; ') };
  });
}

export function selfTestName({ lesson, skip }: SelfTestCase): string {
  return skip === undefined
    ? `${lesson.short} ${lesson.id}: fails before its solution and after each shortcut, passes after, leaves nothing`
    : `${lesson.short} ${lesson.id}: skipped on this machine (${skip})`;
}

export async function selfTest(lesson: LessonMeta): Promise<void> {
  const workbook = await Workbook.open({ home: freshHome() });
  const labBefore = await findLabState(workbook.system);
  await workbook.cleanup(lesson);
  // A code lesson's solution writes into exercises/; the checkout gets its skeletons back afterwards.
  const exercises = snapshot(join(workbook.workspace, 'exercises'));
  const checker = await workbook.checker(lesson);
  try {
    for (const shortcut of checker.shortcuts ?? []) await shortcutFails(lesson, shortcut, exercises);

    await workbook.start(lesson);
    const before = await workbook.verify(lesson, { live: true });
    assert.notEqual(before.status, 'pass', 'verify passed on a fresh machine: its checks prove nothing');
    assert.deepEqual(before.checks.filter((check) => check.status === 'error'), [], 'a check could not run on the fresh state');

    await actAsLearner(workbook, lesson, 'solution', checker.solution);

    const after = await workbook.verify(lesson, { live: true });
    assert.deepEqual(after.checks.filter((check) => check.status !== 'pass'), [], 'checks still failing after the solution');
    assert.equal(after.status, 'pass');
  } finally {
    await workbook.cleanup(lesson);
    exercises.restore();
  }
  // Nothing new: state that was there before (another run's) may stay, or may be tidied away.
  const known = new Set(labBefore.map((item) => `${item.kind} ${item.name}`));
  assert.deepEqual((await findLabState(workbook.system)).filter((item) => !known.has(`${item.kind} ${item.name}`)), [], 'cleanup left lab state behind');
}

/**
 * A shortcut on a fresh start, with a progress store of its own (answers it records do not reach the solution's
 * run): the checks it names must fail, not pass and not error.
 */
async function shortcutFails(lesson: LessonMeta, shortcut: Shortcut, exercises: { restore(): void }): Promise<void> {
  const trial = await Workbook.open({ home: freshHome() });
  try {
    await trial.start(lesson);
    await actAsLearner(trial, lesson, 'shortcut', shortcut.apply);
    const result = await trial.verify(lesson, { live: true });
    assert.notEqual(result.status, 'pass', `verify passed after the shortcut "${shortcut.name}"`);
    for (const id of shortcut.fails) {
      const check = result.checks.find((candidate) => candidate.id === id);
      assert.ok(check, `the shortcut "${shortcut.name}" names a check ${id} the lesson does not have`);
      assert.equal(check.status, 'fail', `after the shortcut "${shortcut.name}", ${id} is ${check.status}: ${check.message}`);
    }
  } finally {
    await trial.cleanup(lesson);
    exercises.restore();
  }
}

/** Runs a solution or a shortcut as the learner's own doing: the answers it records go to this workbook. */
function actAsLearner(workbook: Workbook, lesson: LessonMeta, name: 'solution' | 'shortcut', step: Checker['solution']): Promise<void> {
  return runLessonStep(name, step, {
    lesson,
    system: workbook.system,
    answers: {},
    workspace: workbook.workspace,
    answer: async (key, value) => void (await workbook.answer(lesson, key, value)),
  });
}

function freshHome(): string {
  return mkdtempSync(join(tmpdir(), 'isolab-selftest-'));
}

/** The files under a directory, to put back exactly as they were (new files removed). */
function snapshot(dir: string): { restore(): void } {
  const files = new Map<string, Buffer>();
  const walk = () => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  for (const file of walk()) files.set(file, readFileSync(file));
  return {
    restore() {
      for (const file of walk()) if (!files.has(file)) rmSync(file);
      for (const [file, content] of files) writeFileSync(file, content);
    },
  };
}
