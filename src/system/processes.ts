import { basename, join } from 'node:path';
import type { NamespaceKind } from './probes.js';
import { listNames, readLink, readText } from './read.js';
import type { SystemRoot } from './index.js';

/** Processes as /proc shows them: what a check, `isolab clean` and the cgroup manager read of them. */
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
  for (const name of listNames(system.proc)) {
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

export function parentPid(system: SystemRoot, pid: number | 'self'): number | undefined {
  const value = statusField(system, pid, 'PPid');
  return value === undefined ? undefined : Number(value);
}

/** One field of /proc/<pid>/status, e.g. `NSpid`, `Uid`; '' for an empty one (`Groups:` with no groups). */
export function statusField(system: SystemRoot, pid: number | 'self', field: string): string | undefined {
  const status = readText(join(system.proc, String(pid), 'status'));
  // Blanks, not \s: an empty field must not read on into the next line.
  return status === undefined ? undefined : new RegExp(`^${field}:[ \\t]*(.*)$`, 'm').exec(status)?.[1]?.trim();
}

/** The process's pid in each PID namespace it is in, outermost first (`NSpid:`, Linux 4.1+). */
export function nsPids(system: SystemRoot, pid: number): number[] | undefined {
  return statusField(system, pid, 'NSpid')?.split(/\s+/).map(Number);
}

/** `uts:[4026532178]`: the link /proc/<pid>/ns/<kind> names; two processes share a namespace when these match. */
export function namespaceOf(system: SystemRoot, pid: number | 'self', kind: NamespaceKind): string | undefined {
  return readLink(join(system.proc, String(pid), 'ns', kind));
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

/** The process and its ancestors up to PID 1 (included), nearest first. */
export function ancestry(system: SystemRoot, from: number): number[] {
  const chain: number[] = [];
  for (let pid: number | undefined = from; pid !== undefined && pid > 0 && !chain.includes(pid); pid = parentPid(system, pid)) {
    chain.push(pid);
  }
  return chain;
}
