import type { ToolCommand } from '../tool.js';

export const remove: ToolCommand = {
  name: 'delete',
  aliases: ['rm'],
  usage: 'delete <cgroup> [--kill] [--force]',
  operands: 'cgroup name',
  summary: 'remove a cgroup and its children (--kill kills their processes first)',
  example: 'cgroup-tool delete isolab/lab --kill',
  async run(context) {
    const [name] = context.positionals as [string];
    const removed = await context.manager().delete(name, { kill: context.flags.kill, force: context.flags.force });
    context.out(`deleted ${name} (${removed.length} director${removed.length === 1 ? 'y' : 'ies'})`);
    return 0;
  },
};
