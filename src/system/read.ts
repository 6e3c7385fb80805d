import { accessSync, constants, existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** Reads that answer `undefined` instead of throwing: an unreadable file is evidence of absence, not a crash. */
export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function readTrimmed(path: string): string | undefined {
  return readText(path)?.trim();
}

/** Whitespace-separated words (cgroup.controllers, cgroup.subtree_control); `undefined` if unreadable. */
export function readWords(path: string): string[] | undefined {
  return readText(path)?.split(/\s+/).filter(Boolean);
}

export function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

export function listNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function pathExists(path: string): boolean {
  return existsSync(path);
}

export function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
