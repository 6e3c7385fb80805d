import { parseLimit } from '../../cgroup/index.js';
import { usageError } from '../../errors/index.js';
import type { ToolCommand } from '../tool.js';
import { applyLimits } from './limits.js';

export const set: ToolCommand = {
  name: 'set',
  usage: 'set <cgroup> <key>=<value>… [--force]',
  operands: 'cgroup name, a limit to set…',
  summary: 'set limits: memory.max, memory.high, memory.low, memory.swap.max, cpu.max, cpu.weight, pids.max, io.max',
  example: 'cgroup-tool set isolab/lab memory.max=50M pids.max=20 cpu.max=50%',
  async run(context) {
    const [name, ...assignments] = context.positionals as [string, ...string[]];
    const limits = assignments.map((assignment) => {
      const equals = assignment.indexOf('=');
      if (equals < 1) throw usageError(`"${assignment}" is not key=value`, `Example: ${set.example}`);
      return parseLimit(assignment.slice(0, equals), assignment.slice(equals + 1));
    });
    return applyLimits(context, name, limits);
  },
};
