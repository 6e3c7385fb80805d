import { formatBytes, parseLimit, type Limit } from '../../cgroup/index.js';
import type { ToolCommand, ToolContext } from '../tool.js';

/** Writes the limits (the manager checks them against the cgroup first) and says each as it now stands. */
export async function applyLimits(context: ToolContext, name: string, limits: Limit[]): Promise<number> {
  context.manager().set(name, limits, { force: context.flags.force, warn: context.warn });
  for (const limit of limits) context.out(`${name}: ${describeLimit(limit)}`);
  return 0;
}

/** `memory-max`, `cpu-max`, `pids-max`: `set <cgroup> <key>=<value>` for one key, as `<command> <cgroup> <value>`. */
export function limitCommand(name: string, key: Limit['key'], example: string, valueHelp: string): ToolCommand {
  return {
    name,
    usage: `${name} <cgroup> <value> [--force]`,
    operands: 'cgroup name, value',
    summary: `set ${key} (${valueHelp})`,
    example,
    async run(context) {
      const [cgroup, value] = context.positionals as [string, string];
      return applyLimits(context, cgroup, [parseLimit(key, value)]);
    },
  };
}

function describeLimit(limit: Limit): string {
  switch (limit.key) {
    case 'cpu.max':
      return limit.quotaUs === 'max' ? 'cpu.max = max (no limit)' : `cpu.max = ${limit.quotaUs} ${limit.periodUs} (${Math.round((limit.quotaUs / limit.periodUs) * 100)}% of one CPU)`;
    case 'cpu.weight':
      return `cpu.weight = ${limit.weight}`;
    case 'pids.max':
      return `pids.max = ${limit.pids}`;
    case 'io.max':
      return `io.max = ${limit.device} ${(['rbps', 'wbps', 'riops', 'wiops'] as const).filter((k) => limit[k] !== undefined).map((k) => `${k}=${limit[k]}`).join(' ')}`;
    default:
      return `${limit.key} = ${formatBytes(limit.bytes)}`;
  }
}
