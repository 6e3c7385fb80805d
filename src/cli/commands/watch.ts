import chalk from 'chalk';
import { ExitCode } from '../../errors/index.js';
import type { LessonMeta } from '../../lessons/index.js';
import { formatWatchRun, type VerifyDocument } from '../../report/index.js';
import { LessonChecks, watchPlan, type Workbook } from '../../workbook/index.js';
import { lessonOf, type Command } from '../command.js';

export const watch: Command = {
  name: 'watch',
  usage: 'watch [<lesson>]',
  operands: 'lesson?',
  summary: "re-runs a lesson's checks as you work (on each save, or every 2 s); Ctrl-C stops",
  example: 'isolab watch 1.11',
  async run(context) {
    const { workbook, lesson } = await lessonOf(context);
    workbook.requireAvailable(lesson);
    // Watching a lesson is working on it: hint and verify then default to it. Not remembering it is no reason to stop.
    await workbook.opened(lesson).catch(() => undefined);
    return watchLesson(workbook, lesson);
  },
};

/** Clears the screen and its scrollback, and puts the cursor home: each run replaces the last on a terminal. */
const clearScreen = '\u001b[2J\u001b[3J\u001b[H';

/**
 * Prints a compact result per run until Ctrl-C (exit 0). On a terminal each run replaces the last; on a pipe
 * runs are appended. A state lesson is re-checked every 2 s, and printed only when its result changes. A closed
 * pipe ends isolab quietly (src/command): results are written when a run has ended, so no check is left running.
 */
function watchLesson(workbook: Workbook, lesson: LessonMeta): Promise<number> {
  const tty = process.stdout.isTTY === true;
  const plan = watchPlan(lesson, workbook.workspace);
  const nextLesson = lesson.next ? workbook.catalog.get(lesson.next) : undefined;
  const header = `Watching ${lesson.short} ${lesson.title}: ${plan.describe}. A pass is recorded. Ctrl-C stops.`;
  const write = (text: string) => void process.stdout.write(text);
  let runs = 0;
  let shown: string | undefined;

  return new Promise<number>((resolve) => {
    const checks = new LessonChecks({
      lesson,
      workspace: workbook.workspace,
      verify: (target, options) => workbook.verify(target, options),
      listener: {
        // A code lesson's checks take seconds: on a terminal, say at once that the save was seen.
        start: (_source, reason) => tty && reason === 'change' && write(chalk.dim('\nA file changed: checking…\n')),
        finish: (document, _source, reason) => {
          runs += 1;
          const result = resultKey(document);
          if (reason === 'poll' && result === shown) return;
          shown = result;
          const text = formatWatchRun(document, { number: runs, at: new Date(), next: nextLesson });
          write(tty ? `${clearScreen}${chalk.dim(header)}\n\n${text}\n` : `\n${text}\n`);
        },
        crash: (error) => write(`${chalk.yellow('!')} The checks could not run: ${error instanceof Error ? error.message : String(error)}\n`),
      },
    });

    const interrupted = () => {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      // The run in progress is cancelled and its processes killed before isolab exits.
      void checks.dispose().then(() => {
        // After ^C the prompt starts on a line of its own.
        if (tty) write('\n');
        resolve(ExitCode.ok);
      });
    };
    process.on('SIGINT', interrupted);
    process.on('SIGTERM', interrupted);

    if (!tty) write(`${header}\n`);
    checks.watch(true);
  });
}

/** What a learner would see change: each check's state and words. */
function resultKey(document: VerifyDocument): string {
  return JSON.stringify([document.status, document.checks.map((check) => [check.id, check.status, check.message, check.hint])]);
}
