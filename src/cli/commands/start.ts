import chalk from 'chalk';
import { lessonOf, type Command } from '../command.js';
import { out } from '../output.js';

export const start: Command = {
  name: 'start',
  usage: 'start <lesson>',
  operands: 'lesson id',
  summary: "runs the lesson's setup (a scenario breaks something here) and prints what to do",
  example: 'isolab start 0.1',
  async run(context) {
    const { workbook, lesson } = await lessonOf(context);
    await workbook.start(lesson);
    const lines = [chalk.bold(`${lesson.short} ${lesson.title}`) + chalk.dim(`  (${lesson.id})`), ''];
    lesson.steps.forEach((step, index) => lines.push(`  ${index + 1}. ${step}`));
    for (const question of lesson.questions) lines.push(`  ? ${question.prompt}  ${chalk.dim(`isolab answer ${lesson.short} ${question.key} <value>`)}`);
    lines.push('', `Read it: isolab show ${lesson.short}    Check it: isolab verify ${lesson.short}    Stuck: isolab hint ${lesson.short}`);
    out(lines.join('\n'));
    return 0;
  },
};
