import { cleanLabState, findLabState } from '../../lab/index.js';
import type { Command } from '../command.js';
import { rejectExtra } from '../command.js';
import { err, out } from '../output.js';

export const clean: Command = {
  name: 'clean',
  usage: 'clean [--json]',
  summary: 'kills isolab-marked processes and removes every isolab-named cgroup, netns, veth, mount, loop device and runc container',
  example: 'sudo isolab clean',
  async run(context) {
    rejectExtra(context, 0, clean);
    const workbook = await context.workbook();
    // Lesson cleanups first: they restore host settings they saved (ip_forward, nft rules) as well.
    for (const lesson of workbook.catalog.lessons) {
      if (!workbook.gate(lesson).available) continue;
      try {
        await workbook.cleanup(lesson);
      } catch (error) {
        err(`cleanup of ${lesson.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (!workbook.env.privileges.root && (await findLabState(workbook.system)).length > 0) {
      err('Lab state is left on this machine, and removing it needs root: sudo isolab clean');
      return 3;
    }
    const report = await cleanLabState(workbook.system);
    if (context.flags.json) {
      out(JSON.stringify({ version: 1, ...report }, null, 2));
    } else {
      for (const item of report.removed) out(`removed ${item.kind} ${item.name}`);
      for (const item of report.failed) out(`could not remove ${item.kind} ${item.name}: ${item.reason}`);
      if (report.removed.length === 0 && report.failed.length === 0) out('Nothing to clean: no isolab lab state on this machine.');
    }
    return report.failed.length > 0 ? 3 : 0;
  },
};
