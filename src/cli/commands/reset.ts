import { resetLesson } from '../../workbook/index.js';
import { lessonOf, type Command } from '../command.js';
import { out } from '../output.js';

export const reset: Command = {
  name: 'reset',
  usage: 'reset <lesson>',
  operands: 'lesson id',
  summary: "cleans up the lesson's lab, restores its exercise files (yours are backed up) and clears its progress",
  example: 'isolab reset 0.1',
  async run(context) {
    const { workbook, lesson } = await lessonOf(context);
    const report = await resetLesson(workbook, lesson);
    out(`Reset ${lesson.short} ${lesson.title}.`);
    if (report.restored.length > 0) out(`Restored: ${report.restored.join(', ')}`);
    if (report.backup) out(`Your versions are in ${report.backup}`);
    return 0;
  },
};
