import { resetLesson } from '../../workbook/index.js';
import type { Command } from '../command.js';
import { rejectExtra, requirePositional } from '../command.js';
import { out } from '../output.js';

export const reset: Command = {
  name: 'reset',
  usage: 'reset <lesson>',
  summary: "cleans up the lesson's lab, restores its exercise files (yours are backed up) and clears its progress",
  example: 'isolab reset 0.1',
  async run(context) {
    const key = requirePositional(context, 0, 'lesson id', reset);
    rejectExtra(context, 1, reset);
    const workbook = await context.workbook();
    const lesson = workbook.catalog.require(key);
    const report = await resetLesson(workbook, lesson);
    out(`Reset ${lesson.short} ${lesson.title}.`);
    if (report.restored.length > 0) out(`Restored: ${report.restored.join(', ')}`);
    if (report.backup) out(`Your versions are in ${report.backup}`);
    return 0;
  },
};
