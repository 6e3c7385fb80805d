// Lesson 1.11: read a process's namespace links and compare two processes.
import { readdirSync, readlinkSync } from 'node:fs';

/**
 * Every entry of /proc/<pid>/ns and what its link says, e.g. { uts: 'uts:[4026531838]', net: 'net:[4026531840]', … }.
 * Include every entry the directory lists (pid_for_children and time_for_children too).
 */
export function namespaceLinks(pid: number): Record<string, string> {
  void readdirSync;
  void readlinkSync;
  throw new Error(`TODO(1.11): read the links in /proc/${pid}/ns`);
}

/**
 * The kinds present in both maps, split by whether the two links name the same namespace. Both lists sorted.
 */
export function compareNamespaces(a: Record<string, string>, b: Record<string, string>): { shared: string[]; differ: string[] } {
  void a;
  void b;
  throw new Error('TODO(1.11): compare the two maps of links');
}
