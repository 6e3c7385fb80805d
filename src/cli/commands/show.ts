import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import chalk from 'chalk';
import { bodyOf, type LessonMeta } from '../../lessons/index.js';
import type { Command } from '../command.js';
import { lessonOrLast, rejectExtra } from '../command.js';
import { out } from '../output.js';

export const show: Command = {
  name: 'show',
  usage: 'show [lesson]',
  summary: 'prints the lesson text',
  example: 'isolab show 0.1',
  async run(context) {
    rejectExtra(context, 1, show);
    const workbook = await context.workbook();
    const lesson = lessonOrLast(context, workbook, show);
    // Reading a lesson is opening it, as in the workbook: hint and verify then default to it. Not remembering it
    // is no reason to refuse to print it.
    await workbook.opened(lesson).catch(() => undefined);
    const body = bodyOf(readFileSync(join(workbook.workspace, lesson.file), 'utf8'));
    out(renderPlain(lesson, body));
    const gate = workbook.gate(lesson);
    if (!gate.available) out(chalk.yellow(`\nLocked on this machine:\n${gate.reasons.map((r) => `- ${r}`).join('\n')}`));
    return 0;
  },
};

/** Plain Markdown with the headings emphasised; the TUI has the full renderer. */
function renderPlain(lesson: LessonMeta, body: string): string {
  const header = `${chalk.bold(`${lesson.short} ${lesson.title}`)}  ${chalk.dim(`${lesson.id} · ${lesson.kind} · ${lesson.minutes} min`)}`;
  const text = body
    .trim()
    .split('\n')
    .map((line) => (/^#{1,6} /.test(line) ? chalk.bold(line) : line))
    .join('\n');
  return `${header}\n\n${text}`;
}
