import { cleanLabState, findLabProcesses, findLabState, goneBetween, itemKey, processItemName, startedFor, type LabItem, type LabProcess } from '../../lab/index.js';
import { keepingProcesses } from '../../verify/index.js';
import type { LessonMeta } from '../../lessons/index.js';
import type { Workbook } from '../../workbook/index.js';
import type { Command } from '../command.js';
import { canAsk, confirm } from '../confirm.js';
import { err, out } from '../output.js';

export const clean: Command = {
  name: 'clean',
  usage: 'clean [<lesson>] [--yes] [--json]',
  operands: 'lesson?',
  summary:
    "with a lesson: removes what that lesson's lab made (progress and exercise files stay). Without: kills the lab processes isolab started for this checkout (asks before killing others'), removes every isolab-named cgroup, netns, veth, mount, loop device, runc container and BPF pin (/sys/fs/bpf/isolab…)",
  example: 'isolab clean 1.1',
  async run(context) {
    const workbook = await context.workbook();
    const { system } = workbook;
    if (context.positionals[0] !== undefined) return cleanLesson(workbook, workbook.catalog.require(context.positionals[0]), context.flags.json);
    // Looked at before anything is removed: the lesson cleanups below remove much of it, and that is reported too.
    const before = await findLabState(system);
    const kept = await processesToKeep(workbook, context.flags.yes);
    const keep = new Set(kept.map((entry) => entry.pid));
    const keptItems = new Set(kept.map((entry) => itemKey({ kind: 'process', name: processItemName(entry) })));
    const notKept = (item: LabItem) => !keptItems.has(itemKey(item));

    // The lesson cleanups kill their lab processes by name: the kept ones must survive them too.
    return keepingProcesses(keep, async () => {
      await cleanupLessons(workbook);
      if (!workbook.env.privileges.root) {
        const now = await findLabState(system);
        if (now.some(notKept)) {
          for (const item of goneBetween(before, now)) out(`removed ${item.kind} ${item.name}`);
          err('Lab state is left on this machine, and removing it needs root: sudo isolab clean');
          return 3;
        }
      }
      const report = await cleanLabState(system, { keep });
      const removed = unique([...goneBetween(before, await findLabState(system)), ...report.removed]);
      if (context.flags.json) {
        out(JSON.stringify({ version: 1, removed, failed: report.failed, kept: kept.map(keptItem) }, null, 2));
      } else {
        for (const item of removed) out(`removed ${item.kind} ${item.name}`);
        for (const item of report.failed) out(`could not remove ${item.kind} ${item.name}: ${item.reason}`);
        if (kept.length > 0) out(keptReport(kept));
        if (removed.length === 0 && report.failed.length === 0) {
          out(kept.length === 0 ? 'Nothing to clean: no isolab lab state on this machine.' : 'Nothing to clean for this checkout.');
        }
      }
      return report.failed.length > 0 ? 3 : 0;
    });
  },
};

/**
 * One lesson's lab: its own cleanup, which removes what the lesson (and the learner following it) made, found by
 * the lesson's names. Progress and exercise files are left as they are: that is the difference from `reset`.
 */
async function cleanLesson(workbook: Workbook, lesson: LessonMeta, json: boolean): Promise<number> {
  const before = await findLabState(workbook.system);
  await workbook.cleanup(lesson);
  const removed = goneBetween(before, await findLabState(workbook.system));
  if (json) {
    out(JSON.stringify({ version: 1, lesson: lesson.id, removed, failed: [], kept: [] }, null, 2));
    return 0;
  }
  for (const item of removed) out(`removed ${item.kind} ${item.name}`);
  out(removed.length === 0 ? `Nothing of ${lesson.short}'s lab was left to clean.` : `Cleaned up ${lesson.short} ${lesson.title}; its progress is kept.`);
  return 0;
}

/**
 * The isolab-marked processes isolab did not start for this checkout (another checkout's on a shared machine, or
 * one a learner started by hand) that are to be left running: none with --yes or when the learner agrees on the
 * terminal; all of them when nobody can be asked.
 */
async function processesToKeep(workbook: Workbook, yes: boolean): Promise<LabProcess[]> {
  const others = findLabProcesses(workbook.system).filter((entry) => !startedFor(entry, workbook.workspace));
  if (others.length === 0 || yes) return [];
  if (!canAsk()) return others;
  err(`isolab did not start these isolab-marked processes for this checkout (${workbook.workspace}); one started by hand records none:`);
  err(processTable(others));
  return (await confirm(others.length === 1 ? 'Kill it too?' : 'Kill them too?')) ? [] : others;
}

/** Lesson cleanups first: they restore host settings they saved (ip_forward, nft rules) as well. */
async function cleanupLessons(workbook: Workbook): Promise<void> {
  for (const lesson of workbook.catalog.lessons) {
    if (!workbook.gate(lesson).available) continue;
    try {
      await workbook.cleanup(lesson);
    } catch (error) {
      err(`cleanup of ${lesson.id} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function processTable(entries: readonly LabProcess[]): string {
  const rows = [['PID', 'USER', 'CHECKOUT', 'COMMAND'], ...entries.map((entry) => [String(entry.pid), entry.owner, entry.checkout ?? 'none', shorten(entry.command, 60)])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => `  ${row.map((cell, column) => (column === 0 ? cell.padStart(widths[0]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd()}`).join('\n');
}

function keptReport(kept: readonly LabProcess[]): string {
  const pids = kept.map((entry) => entry.pid).join(' ');
  return [
    ...kept.map((entry) => `kept process ${processItemName(entry)} (user ${entry.owner}, checkout ${entry.checkout ?? 'none'}): ${shorten(entry.command, 60)}`),
    `Left running: isolab did not start ${kept.length === 1 ? 'it' : 'them'} for this checkout. \`isolab clean --yes\` kills ${kept.length === 1 ? 'it' : 'them'} too (or: kill ${pids}).`,
  ].join('\n');
}

function keptItem(entry: LabProcess) {
  return { kind: 'process' as const, name: processItemName(entry), owner: entry.owner, command: entry.command, checkout: entry.checkout ?? null };
}

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function unique(items: readonly LabItem[]): LabItem[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(itemKey(item)) && Boolean(seen.add(itemKey(item))));
}
