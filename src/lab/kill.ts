import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ancestry, hasExited, parentPid, processesNamed, type SystemRoot } from '../system/index.js';

/** The caller, its ancestors and PID 1: never killed as lab processes, whatever they carry. */
export function protectedPids(system: SystemRoot, from: number = process.pid): Set<number> {
  return new Set([1, ...ancestry(system, from)]);
}

let kept: ReadonlySet<number> = new Set();

/**
 * Runs `work` with these processes left alone by killProcesses and killProcessesNamed: the marked processes a
 * learner told `isolab clean` to keep, which the lesson cleanups it runs would otherwise kill by name.
 */
export async function keepingProcesses<T>(pids: Iterable<number>, work: () => Promise<T>): Promise<T> {
  const before = kept;
  kept = new Set([...before, ...pids]);
  try {
    return await work();
  } finally {
    kept = before;
  }
}

/**
 * SIGKILLs the processes and waits until each has exited (or `timeoutMs` passed). Returns the pids still running.
 * The caller, its ancestors and PID 1 are refused; processes kept by keepingProcesses are skipped.
 */
export async function killProcesses(system: SystemRoot, targets: readonly number[], timeoutMs = 3_000): Promise<number[]> {
  const spared = protectedPids(system);
  const refused = targets.filter((pid) => spared.has(pid));
  if (refused.length > 0) throw new Error(`refusing to kill ${refused.join(', ')}: isolab itself, its ancestors or PID 1`);
  const pids = targets.filter((pid) => !kept.has(pid));
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + timeoutMs;
  let running = pids.filter((pid) => !hasExited(system, pid));
  while (running.length > 0 && Date.now() < deadline) {
    await sleep(20);
    running = running.filter((pid) => !hasExited(system, pid));
  }
  // A zombie still holds its user and PID namespaces until it is reaped. An orphan is PID 1's to reap, which it
  // does soon (within a second or so here): wait a moment for those, so that `lsns` right after shows nothing,
  // but do not insist. A zombie with a living parent is that parent's business.
  const orphanZombie = (pid: number) => existsSync(join(system.proc, String(pid))) && parentPid(system, pid) === 1;
  const reapDeadline = Date.now() + 2_000;
  while (pids.some(orphanZombie) && Date.now() < reapDeadline) await sleep(20);
  return running;
}

/** Kills every process whose argv[0] is `name` (but those kept by keepingProcesses); returns what it killed. */
export async function killProcessesNamed(system: SystemRoot, name: string): Promise<number[]> {
  const spared = protectedPids(system);
  const pids = processesNamed(system, name)
    .map((entry) => entry.pid)
    .filter((pid) => !spared.has(pid) && !kept.has(pid));
  const running = await killProcesses(system, pids);
  if (running.length > 0) throw new Error(`${name} (pid ${running.join(', ')}) is still running after SIGKILL`);
  return pids;
}
