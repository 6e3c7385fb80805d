import { dirname, join } from 'node:path';
import { blockedError, usageError } from '../errors/index.js';
import { runProgram } from '../exec/index.js';
import type { LessonMeta } from '../lessons/index.js';
import { learnerOwner } from '../progress/index.js';
import { LinkRefused, linkOnTheWay, makeDirectories, pathExists, readFileNoFollow, replaceFile, writeNewFile } from '../system/index.js';
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
 *
 * reset may run as root in the learner's checkout, so it writes nothing through a link: an exercise file (or a
 * directory on its way) that is a link is refused before anything changes, a backup directory that is a link is
 * refused, and every file is written new and given to the learner through the open file.
 */
export async function resetLesson(workbook: Workbook, lesson: LessonMeta): Promise<ResetReport> {
  for (const file of lesson.exercises) refuseLink(workbook.workspace, file);
  const pristine = await Promise.all(lesson.exercises.map(async (file) => ({ file, content: await committedVersion(workbook.workspace, file) })));
  await workbook.cleanup(lesson);

  const owner = learnerOwner(workbook.system.env);
  let backup: string | null = null;
  const existing = lesson.exercises.filter((file) => pathExists(join(workbook.workspace, file)));
  if (existing.length > 0) {
    const home = workbook.store.home;
    workbook.store.ensureHome();
    const inHome = join('backups', lesson.id.replace('/', '--'), new Date().toISOString().replace(/[:.]/g, '-'));
    backup = join(home, inHome);
    for (const file of existing) {
      refusing(() => makeDirectories(home, join(inHome, dirname(file)), owner));
      writeNewFile(join(backup, file), readFileNoFollow(join(workbook.workspace, file)), { owner });
    }
  }
  for (const { file, content } of pristine) {
    refusing(() => makeDirectories(workbook.workspace, dirname(file), owner));
    replaceFile(join(workbook.workspace, file), content, { owner });
  }
  await workbook.forget(lesson);
  return { restored: lesson.exercises, backup };
}

function refuseLink(workspace: string, file: string): void {
  const link = linkOnTheWay(workspace, file);
  if (link) throw linkError(link);
}

/** Runs a step that refuses links, turning the refusal into the learner's error. */
function refusing(step: () => void): void {
  try {
    step();
  } catch (error) {
    throw error instanceof LinkRefused ? linkError(error.path) : error;
  }
}

function linkError(path: string) {
  return usageError(
    `${path} is a symbolic link: reset writes no file through a link (as root it could overwrite any file on the machine)`,
    `Remove the link (rm ${path}), then run isolab reset again: the course's version is written in its place.`,
  );
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
