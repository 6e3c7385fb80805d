import chalk from 'chalk';
import { courseCount, failedSinceDone, type ListDocument, type ListEntry } from '../../report/index.js';
import type { Command } from '../command.js';
import { out } from '../output.js';

const marks: Record<ListEntry['status'], () => string> = {
  done: () => chalk.green('✓ done'),
  'in-progress': () => chalk.cyan('… in progress'),
  available: () => '· available',
  locked: () => chalk.dim('✗ locked'),
};

export const list: Command = {
  name: 'list',
  usage: 'list [--json]',
  summary: 'tracks and lessons with their status (done, in progress, available, locked and why)',
  example: 'isolab list --json',
  async run(context) {
    const workbook = await context.workbook();
    const document = workbook.list();
    if (context.flags.json) {
      out(JSON.stringify(document, null, 2));
      return 0;
    }
    out(formatList(document, workbook.catalog.lessons));
    return 0;
  },
};

export function formatList(
  document: ListDocument,
  lessons: ReadonlyArray<{ id: string; trackTitle: string; trackNumber: number }>,
): string {
  const lines: string[] = [];
  let track = '';
  for (const entry of document.lessons) {
    const meta = lessons.find((lesson) => lesson.id === entry.id);
    if (entry.track !== track) {
      track = entry.track;
      if (lines.length > 0) lines.push('');
      lines.push(chalk.bold(`${String(meta?.trackNumber ?? '').padStart(2, '0')} ${meta?.trackTitle ?? track}`));
    }
    const fast = entry.fastPath ? chalk.magenta(' ★') : '';
    lines.push(`  ${entry.short.padEnd(5)} ${entry.title}${fast}  ${chalk.dim(`${entry.minutes} min`)}  ${mark(entry)}`);
    for (const reason of entry.lockedReasons) lines.push(chalk.dim(`          ${reason}`));
  }
  lines.push('', `${courseCount(document.lessons).text}.`);
  const fastPath = document.lessons.filter((entry) => entry.fastPath);
  if (fastPath.length > 0) lines.push(`Fast path ${chalk.magenta('★')}: ${courseCount(fastPath).text}.`);
  return lines.join('\n');
}

/** Done, with the later verify that failed beside it when there was one (both are true). */
function mark(entry: ListEntry): string {
  const failed = failedSinceDone(entry);
  return failed ? `${chalk.green(failed.done)} · ${chalk.yellow(failed.last)}` : marks[entry.status]();
}
