import type { Command } from '../command.js';
import { requirePositional } from '../command.js';
import { out } from '../output.js';

export const answer: Command = {
  name: 'answer',
  usage: 'answer <lesson> <key> <value>',
  summary: 'records your answer to a live-quiz question (verify checks it against this machine)',
  example: 'isolab answer 0.1 kernel-release 6.1.0-26-amd64',
  async run(context) {
    const key = requirePositional(context, 0, 'lesson id', answer);
    const questionKey = requirePositional(context, 1, 'question key', answer);
    requirePositional(context, 2, 'answer', answer);
    // An answer may contain spaces without quotes: everything after the key is the value.
    const value = context.positionals.slice(2).join(' ');
    const workbook = await context.workbook();
    const lesson = workbook.catalog.require(key);
    const progress = await workbook.answer(lesson, questionKey, value);
    const answered = lesson.questions.filter((question) => question.key in progress.answers).length;
    out(`Recorded ${questionKey} = "${value.trim()}" (${answered} of ${lesson.questions.length} answered).`);
    if (answered === lesson.questions.length) out(`Check them: isolab verify ${lesson.short}`);
    return 0;
  },
};
