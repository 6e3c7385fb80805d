import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { blockedError } from '../errors/index.js';
import { runProgram } from '../exec/index.js';
import type { LessonMeta } from '../lessons/index.js';
import { giveToLearner } from '../progress/index.js';
import type { Workbook } from './workbook.js';

export interface ResetReport {
  restored: string[];
  /** Where the learner's own versions were saved, if any exercise file existed. */
  backup: string | null;
}

/**
 * `isolab reset`: the lesson's cleanup, its exercise files restored to the versions the course shipped (the
 * learner's copies saved first), and its progress cleared. The shipped version is the one git committed in the
 * checkout, so nothing is kept twice.
 */
export async function resetLesson(workbook: Workbook, lesson: LessonMeta): Promise<ResetReport> {
  const pristine = await Promise.all(lesson.exercises.map(async (file) => ({ file, content: await committedVersion(workbook.workspace, file) })));
  await workbook.cleanup(lesson);

  let backup: string | null = null;
  const existing = lesson.exercises.filter((file) => existsSync(join(workbook.workspace, file)));
  if (existing.length > 0) {
    backup = join(workbook.store.home, 'backups', lesson.id.replace('/', '--'), new Date().toISOString().replace(/[:.]/g, '-'));
    for (const file of existing) {
      const target = join(backup, file);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(workbook.workspace, file), target);
      giveToLearner(target, workbook.system.env);
    }
  }
  for (const { file, content } of pristine) {
    mkdirSync(dirname(join(workbook.workspace, file)), { recursive: true });
    writeFileSync(join(workbook.workspace, file), content);
    giveToLearner(join(workbook.workspace, file), workbook.system.env);
  }
  await workbook.forget(lesson);
  return { restored: lesson.exercises, backup };
}

/** The exercise's text as the course committed it. */
async function committedVersion(workspace: string, file: string): Promise<string> {
  const result = await runProgram('git', ['-C', workspace, 'show', `HEAD:${file}`], { timeoutMs: 30_000 });
  if (result.exitCode !== 0) {
    throw blockedError(
      `cannot find the course's version of ${file}`,
      'reset restores exercise files from git: work in a git clone of the course (git clone …), not a copy.',
    );
  }
  return result.stdout;
}
