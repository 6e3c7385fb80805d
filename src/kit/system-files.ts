import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckContext } from '../verify/index.js';

/**
 * Where a path the lesson names (`/proc/1/comm`, `/sys/block/loop0/dev`, `/.dockerenv`) lies on the system
 * being checked: under `context.system`'s proc, sys or root, so a fixture tree can stand in for the machine.
 */
export function systemPath(context: Pick<CheckContext, 'system'>, path: string): string {
  const { proc, sys, root } = context.system;
  if (path === '/proc' || path.startsWith('/proc/')) return join(proc, path.slice('/proc'.length));
  if (path === '/sys' || path.startsWith('/sys/')) return join(sys, path.slice('/sys'.length));
  return join(root, path);
}

/** A file's text, trimmed; a file that cannot be read is the checker's problem, so it throws naming the path. */
export function readSystemText(context: Pick<CheckContext, 'system'>, path: string): string {
  try {
    return readFileSync(systemPath(context, path), 'utf8').trim();
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** Where a symbolic link points (`/proc/self/ns/mnt` → `mnt:[4026531841]`); throws naming the path. */
export function readSystemLink(context: Pick<CheckContext, 'system'>, path: string): string {
  try {
    return readlinkSync(systemPath(context, path));
  } catch (error) {
    throw new Error(`cannot read the link ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
