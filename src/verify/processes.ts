import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NamespaceKind } from '../env/probes.js';
import type { SystemRoot } from '../system/index.js';

/**
 * Processes as /proc shows them, and the markers by which isolab knows its lab processes: an argv[0] that starts
 * with `isolab-` (`exec -a isolab-uts sleep infinity`), or `ISOLAB_LAB=<name>` in the environment.
 */
export const labArgv0Prefix = 'isolab-';
export const labEnvName = 'ISOLAB_LAB';

export interface ProcessEntry {
  pid: number;
  /** The NUL-separated fields of /proc/<pid>/cmdline. */
  argv: string[];
  /** The basename of argv[0]: what `exec -a` sets. */
  name: string;
}

/**
 * Every process with a command line. Kernel threads and zombies have an empty cmdline and are left out: a zombie
 * has already released its namespaces and mounts.
 */
export function listProcesses(system: SystemRoot): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of listDir(system.proc)) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readProcess(system, Number(name));
    if (entry) entries.push(entry);
  }
  return entries;
}

export function readProcess(system: SystemRoot, pid: number): ProcessEntry | undefined {
  const cmdline = readText(join(system.proc, String(pid), 'cmdline'));
  if (!cmdline) return undefined;
  const argv = cmdline.split('\0');
  if (argv.at(-1) === '') argv.pop();
  if (argv.length === 0 || argv[0] === '') return undefined;
  return { pid, argv, name: basename(argv[0]!) };
}

/** Processes whose argv[0] (basename) is exactly `name`, oldest pid first. */
export function processesNamed(system: SystemRoot, name: string): ProcessEntry[] {
  return listProcesses(system).filter((entry) => entry.name === name);
}

/** Processes running exactly `name args…` (argv[0] by basename), e.g. a marker `sleep 7411` inside a container. */
export function processesRunning(system: SystemRoot, name: string, args: readonly string[]): ProcessEntry[] {
  return listProcesses(system).filter(
    (entry) => entry.name === name && entry.argv.length === args.length + 1 && args.every((arg, index) => entry.argv[index + 1] === arg),
  );
}

/** /proc/<pid>/environ as a map; undefined when it cannot be read (another user's process without root). */
export function processEnvironment(system: SystemRoot, pid: number): Map<string, string> | undefined {
  const text = readText(join(system.proc, String(pid), 'environ'));
  if (text === undefined) return undefined;
  const env = new Map<string, string>();
  for (const pair of text.split('\0')) {
    const equals = pair.indexOf('=');
    if (equals > 0) env.set(pair.slice(0, equals), pair.slice(equals + 1));
  }
  return env;
}

/** `isolab-uts` or `ISOLAB_LAB=pid` when the process carries an isolab marker, otherwise undefined. */
export function labMarkerOf(system: SystemRoot, entry: ProcessEntry): string | undefined {
  if (entry.name.startsWith(labArgv0Prefix)) return entry.name;
  const value = processEnvironment(system, entry.pid)?.get(labEnvName);
  return value ? `${labEnvName}=${value}` : undefined;
}

/** The caller, its ancestors and PID 1: never killed as lab processes, whatever they carry. */
export function protectedPids(system: SystemRoot, from: number = process.pid): Set<number> {
  const pids = new Set<number>([1]);
  for (let pid: number | undefined = from; pid !== undefined && pid > 0 && !pids.has(pid); pid = parentPid(system, pid)) {
    pids.add(pid);
  }
  return pids;
}

/** Lab-marked processes, without the caller, its ancestors and PID 1. */
export function labProcesses(system: SystemRoot): Array<ProcessEntry & { marker: string }> {
  const spared = protectedPids(system);
  const found: Array<ProcessEntry & { marker: string }> = [];
  for (const entry of listProcesses(system)) {
    if (spared.has(entry.pid)) continue;
    const marker = labMarkerOf(system, entry);
    if (marker) found.push({ ...entry, marker });
  }
  return found;
}

export function parentPid(system: SystemRoot, pid: number): number | undefined {
  const value = statusField(system, pid, 'PPid');
  return value === undefined ? undefined : Number(value);
}

/** One field of /proc/<pid>/status, e.g. `NSpid`, `Uid`. */
export function statusField(system: SystemRoot, pid: number | 'self', field: string): string | undefined {
  const status = readText(join(system.proc, String(pid), 'status'));
  return status === undefined ? undefined : new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim();
}

/** The process's pid in each PID namespace it is in, outermost first (`NSpid:`, Linux 4.1+). */
export function nsPids(system: SystemRoot, pid: number): number[] | undefined {
  return statusField(system, pid, 'NSpid')?.split(/\s+/).map(Number);
}

/** `uts:[4026532178]`: the link /proc/<pid>/ns/<kind> names; two processes share a namespace when these match. */
export function namespaceOf(system: SystemRoot, pid: number | 'self', kind: NamespaceKind): string | undefined {
  try {
    return readlinkSync(join(system.proc, String(pid), 'ns', kind));
  } catch {
    return undefined;
  }
}

/** The inode number in `uts:[4026532178]`. */
export function namespaceInode(link: string): number | undefined {
  const match = /\[(\d+)\]$/.exec(link);
  return match ? Number(match[1]) : undefined;
}

/** Gone, or a zombie (it has let go of its namespaces and mounts; only its parent can reap it). */
export function hasExited(system: SystemRoot, pid: number): boolean {
  const stat = readText(join(system.proc, String(pid), 'stat'));
  if (stat === undefined) return true;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
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

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
