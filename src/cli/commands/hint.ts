import chalk from 'chalk';
import type { Command } from '../command.js';
import { lessonOf } from '../command.js';
import { out } from '../output.js';

export const hint: Command = {
  name: 'hint',
  usage: 'hint [lesson]',
  operands: 'lesson?',
  summary: 'the next hint (one more each time), and what your last verify suggested',
  example: 'isolab hint 0.1',
  async run(context) {
    const { workbook, lesson } = await lessonOf(context);
    const { shown, total, fromLastVerify } = await workbook.hint(lesson);
    if (context.flags.json) {
      out(JSON.stringify({ version: 1, lesson: lesson.id, hints: shown, total, fromLastVerify: fromLastVerify ?? null }, null, 2));
      return 0;
    }
    shown.forEach((text, index) => out(`${chalk.bold(`Hint ${index + 1}/${total}:`)} ${text}`));
    if (fromLastVerify) out(`${chalk.bold('From your last verify:')} ${fromLastVerify}`);
    if (shown.length === total) out(chalk.dim('That was the last hint.'));
    return 0;
  },
};
