import chalk from 'chalk';
import type { LessonMeta } from '../lessons/index.js';
import type { Workbook } from '../workbook/index.js';
import type { ParsedArgs } from './args.js';
import { usageError } from '../errors/index.js';
import { err } from './output.js';

export interface CommandContext extends ParsedArgs {
  /** Opens the workbook (probing the environment) once; `fullProbe` for doctor. */
  workbook(options?: { fullProbe?: boolean }): Promise<Workbook>;
}

export interface Command {
  name: string;
  /** `isolab <usage>` */
  usage: string;
  summary: string;
  example: string;
  /** It runs another program: the arguments after its first positional are that program's, unparsed. */
  passThrough?: boolean;
  run(context: CommandContext): Promise<number>;
}

/** The one positional a command takes, or a usage error naming it. */
export function requirePositional(context: CommandContext, index: number, what: string, command: Command): string {
  const value = context.positionals[index];
  if (value === undefined) throw usageError(`missing ${what}`, `Usage: isolab ${command.usage}   e.g. ${command.example}`);
  return value;
}

export function rejectExtra(context: CommandContext, expected: number, command: Command): void {
  const extra = context.positionals.slice(expected);
  if (extra.length > 0) {
    throw usageError(`unexpected argument "${extra[0]}"`, `Usage: isolab ${command.usage}   e.g. ${command.example}`);
  }
}

/**
 * The lesson a command names, or when it names none, the one the learner is on (progress' lastLesson), said on
 * stderr so that --json output stays a document. Only for commands where that default is harmless (show, verify,
 * hint); start, answer and reset change things and keep requiring the lesson.
 */
export function lessonOrLast(context: CommandContext, workbook: Workbook, command: Command): LessonMeta {
  const key = context.positionals[0];
  if (key !== undefined) return workbook.catalog.require(key);
  const lesson = workbook.lastLesson();
  if (!lesson) {
    throw usageError('no lesson named, and none opened yet to default to', `Usage: isolab ${command.usage}   e.g. ${command.example}`);
  }
  err(chalk.dim(`${lesson.short} ${lesson.title} (${lesson.id}): the lesson you were last on`));
  return lesson;
}
