import { join } from 'node:path';
import { readTrimmed } from '../system/index.js';
import { readProcess, type CheckContext } from '../verify/index.js';

/** How a process is named in a hint: its argv[0] (`exec -a` sets it: `isolab-ctr-app`), else its comm. */
export function processName(context: Pick<CheckContext, 'system'>, pid: number): string {
  return readProcess(context.system, pid)?.name || readTrimmed(join(context.system.proc, String(pid), 'comm')) || '?';
}

/** Some processes, for a message: `2 processes (pid 412 sleep, 977 sh)`; the first three are named. */
export function describeProcesses(context: Pick<CheckContext, 'system'>, pids: readonly number[]): string {
  const named = pids.slice(0, 3).map((pid) => `${pid} ${processName(context, pid)}`);
  return `${pids.length} process${pids.length === 1 ? '' : 'es'} (pid ${named.join(', ')}${pids.length > 3 ? ', …' : ''})`;
}
