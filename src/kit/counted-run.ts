import type { CheckContext, ExecResult } from '../verify/index.js';
import { cgroup2Path } from './cgroup2-mount.js';
import { runInCgroup } from './cgroup-process.js';

/** A load's run inside a cgroup, and a kernel count read just before and just after it. */
export interface CountedRun {
  before: number;
  after: number;
  result: ExecResult;
}

/**
 * Runs a load inside the cgroup `name` under the cgroup2 mount (it joins before it execs: see runInCgroup) and
 * reads `count` around it: how an experiment shows a limit at work (throttled periods, refused forks, OOM kills).
 */
export async function countAcrossRun(context: Pick<CheckContext, 'system' | 'exec'>, name: string, count: () => number, command: string, args: readonly string[], timeoutMs?: number): Promise<CountedRun> {
  const before = count();
  const result = await runInCgroup(context, cgroup2Path(context, name).dir, command, args, timeoutMs);
  return { before, after: count(), result };
}
