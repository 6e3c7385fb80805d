import chalk from 'chalk';
import type { ListDocument } from '../../report/index.js';
import type { Command } from '../command.js';
import { rejectExtra } from '../command.js';
import { out } from '../output.js';

const marks: Record<ListDocument['lessons'][number]['status'], () => string> = {
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
    rejectExtra(context, 0, list);
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
    lines.push(`  ${entry.short.padEnd(5)} ${entry.title}${fast}  ${chalk.dim(`${entry.minutes} min`)}  ${marks[entry.status]()}`);
    for (const reason of entry.lockedReasons) lines.push(chalk.dim(`          ${reason}`));
  }
  const done = document.lessons.filter((entry) => entry.status === 'done').length;
  lines.push('', `${done} of ${document.lessons.length} lessons done.${document.lessons.some((e) => e.fastPath) ? ' ★ marks the fast path.' : ''}`);
  return lines.join('\n');
}
