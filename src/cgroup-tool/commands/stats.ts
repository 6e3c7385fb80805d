import { formatBytes, type CgroupStats } from '../../cgroup/index.js';
import type { ToolCommand } from '../tool.js';

export const stats: ToolCommand = {
  name: 'stats',
  usage: 'stats <cgroup> [--json]',
  operands: 'cgroup name',
  summary: 'usage and limits: memory (current, peak, OOM kills), cpu (throttling), pids, pressure',
  example: 'cgroup-tool stats isolab/lab --json',
  async run(context) {
    const result = context.manager().stats(context.positionals[0]!);
    context.out(context.flags.json ? JSON.stringify(result, null, 2) : formatStats(result));
    return 0;
  },
};

export function formatStats(stats: CgroupStats): string {
  const lines = [`${stats.name || '/'} (cgroup ${stats.version}): ${stats.processes.length} process${stats.processes.length === 1 ? '' : 'es'}`];
  const { memory, cpu, pids, pressure } = stats;
  if (memory) {
    lines.push(`  memory  ${formatBytes(memory.current)} used, peak ${formatBytes(memory.peak)}, limit ${formatBytes(memory.max)}`);
    if (Object.keys(memory.events).length > 0) lines.push(`          events: ${Object.entries(memory.events).map(([key, value]) => `${key} ${value}`).join(', ')}`);
  }
  if (cpu) {
    const usage = cpu.usageUsec === null ? '-' : `${(cpu.usageUsec / 1e6).toFixed(2)} s`;
    lines.push(`  cpu     ${usage} used, limit ${cpu.max ?? '-'}, weight ${cpu.weight ?? '-'}`);
    if (cpu.periods !== null) lines.push(`          throttled in ${cpu.throttled ?? 0} of ${cpu.periods} periods (${((cpu.throttledUsec ?? 0) / 1e6).toFixed(2)} s)`);
  }
  if (pids) lines.push(`  pids    ${pids.current ?? '-'} of ${pids.max ?? '-'}${pids.events.max ? `, refused forks: ${pids.events.max}` : ''}`);
  if (pressure) lines.push(`  pressure (some, avg10): ${Object.entries(pressure).map(([resource, value]) => `${resource} ${value.some10}%`).join(', ')}`);
  return lines.join('\n');
}
