import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { NamespaceKind } from '../env/index.js';
import { namespaceOf, type CheckContext } from '../verify/index.js';
import { systemPath } from './system-files.js';

/** The process's namespace links by kind (`uts:[4026532178]`); null where one cannot be read. */
export function namespacesOf<K extends NamespaceKind>(context: Pick<CheckContext, 'system'>, pid: number | 'self', kinds: readonly K[]): Record<K, string | null> {
  return Object.fromEntries(kinds.map((kind) => [kind, namespaceOf(context.system, pid, kind) ?? null])) as Record<K, string | null>;
}

/** The kinds in which the process shares isolab's own namespace: what it should have left and has not. */
export function sharedWithIsolab<K extends NamespaceKind>(context: Pick<CheckContext, 'system'>, pid: number, kinds: readonly K[]): K[] {
  const theirs = namespacesOf(context, pid, kinds);
  const ours = namespacesOf(context, 'self', kinds);
  return kinds.filter((kind) => theirs[kind] !== null && theirs[kind] === ours[kind]);
}

/** A network namespace `ip netns add` made: its file under /run/netns, on the system being checked. */
export function netnsFile(context: Pick<CheckContext, 'system'>, name: string): string {
  return systemPath(context, join('/run/netns', name));
}

/**
 * Whether the process's root directory is `dir`: the file `probe` (relative to both) is the same inode on the
 * same device as seen through /proc/<pid>/root. A copy of the file is not the same; the host's never is.
 */
export function processRootIs(context: Pick<CheckContext, 'system'>, pid: number, dir: string, probe = 'bin/busybox'): boolean {
  try {
    const ours = statSync(join(dir, probe));
    const theirs = statSync(join(context.system.proc, String(pid), 'root', probe));
    return theirs.ino === ours.ino && theirs.dev === ours.dev;
  } catch {
    return false;
  }
}
