// Lesson 1.11: read a process's namespace links and compare two processes.
import { readdirSync, readlinkSync } from 'node:fs';

/**
 * Every entry of /proc/<pid>/ns and what its link says, e.g. { uts: 'uts:[4026531838]', net: 'net:[4026531840]', … }.
 * Include every entry the directory lists (pid_for_children and time_for_children too).
 */
export function namespaceLinks(pid: number): Record<string, string> {
  const dir = `/proc/${pid}/ns`;
  const links: Record<string, string> = {};
  for (const kind of readdirSync(dir)) links[kind] = readlinkSync(`${dir}/${kind}`);
  return links;
}

/**
 * The kinds present in both maps, split by whether the two links name the same namespace. Both lists sorted.
 */
export function compareNamespaces(a: Record<string, string>, b: Record<string, string>): { shared: string[]; differ: string[] } {
  const kinds = Object.keys(a).filter((kind) => kind in b).sort();
  return { shared: kinds.filter((kind) => a[kind] === b[kind]), differ: kinds.filter((kind) => a[kind] !== b[kind]) };
}
