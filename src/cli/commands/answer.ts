import { lessonOf, type Command } from '../command.js';
import { out } from '../output.js';

export const answer: Command = {
  name: 'answer',
  usage: 'answer <lesson> <key> <value>',
  operands: 'lesson id, question key, answer…',
  summary: 'records your answer to a live-quiz question (verify checks it against this machine)',
  example: 'isolab answer 0.1 kernel-release 6.1.0-26-amd64',
  async run(context) {
    const { workbook, lesson } = await lessonOf(context);
    const questionKey = context.positionals[1]!;
    // An answer may contain spaces without quotes: everything after the key is the value.
    const value = context.positionals.slice(2).join(' ');
    const progress = await workbook.answer(lesson, questionKey, value);
    const answered = lesson.questions.filter((question) => question.key in progress.answers).length;
    out(`Recorded ${questionKey} = "${value.trim()}" (${answered} of ${lesson.questions.length} answered).`);
    if (answered === lesson.questions.length) out(`Check them: isolab verify ${lesson.short}`);
    return 0;
  },
};
