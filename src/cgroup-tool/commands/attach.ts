import { usageError } from '../../errors/index.js';
import type { ToolCommand } from '../tool.js';

export const attach: ToolCommand = {
  name: 'attach',
  usage: 'attach <cgroup> <pid>',
  operands: 'cgroup name, process id',
  summary: 'move a running process (all its threads) into the cgroup',
  example: 'cgroup-tool attach isolab/lab 4242',
  async run(context) {
    const [name, pid] = context.positionals as [string, string];
    if (!/^\d+$/.test(pid)) throw usageError(`"${pid}" is not a process id`, 'Give a positive whole number (see ps or pgrep).');
    context.manager().attach(name, Number(pid));
    context.out(`moved ${pid} into ${name}`);
    return 0;
  },
};
