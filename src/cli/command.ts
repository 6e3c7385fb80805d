import chalk from 'chalk';
import { flag, withValue, type Command as CommandOf, type Invocation } from '../command/index.js';
import type { LessonMeta } from '../lessons/index.js';
import type { Workbook } from '../workbook/index.js';
import { err } from './output.js';

/** isolab's options: every command accepts them all (each reads the ones it documents). */
export const isolabOptions = {
  json: flag,
  'no-color': flag,
  all: flag,
  live: flag,
  junit: withValue,
  yes: { ...flag, short: 'y' },
  fix: flag,
  /** The workbook without box drawing (screen readers, limited fonts). */
  plain: flag,
  /** Go ahead where a command would refuse to overwrite (rootfs into a non-empty directory). */
  force: flag,
  csv: withValue,
  html: withValue,
  /** `show --commands`: only the lesson's shell commands. */
  commands: flag,
  /** `show --commands --step N`: only that step's. */
  step: withValue,
} as const;

export interface CommandContext extends Invocation<typeof isolabOptions> {
  /** Opens the workbook (probing the environment) once; `fullProbe` for doctor. */
  workbook(options?: { fullProbe?: boolean }): Promise<Workbook>;
}

/** One file per command in commands/: `name`, `usage`, `summary`, `example`, its `operands`, `run`. */
export type Command = CommandOf<CommandContext>;

/**
 * The workbook and the lesson the command names, or when it names none, the one the learner is on (progress'
 * lastLesson), said on stderr so that --json output stays a document. Only commands where that default is harmless
 * (show, verify, hint, watch) make the lesson optional (`operands: 'lesson?'`); start, answer and reset change
 * things and keep requiring it.
 */
export async function lessonOf(context: CommandContext): Promise<{ workbook: Workbook; lesson: LessonMeta }> {
  const workbook = await context.workbook();
  const key = context.positionals[0];
  if (key !== undefined) return { workbook, lesson: workbook.catalog.require(key) };
  const lesson = workbook.lastLesson();
  if (!lesson) throw context.usageError('no lesson named, and none opened yet to default to');
  err(chalk.dim(`${lesson.short} ${lesson.title} (${lesson.id}): the lesson you were last on`));
  return { workbook, lesson };
}
