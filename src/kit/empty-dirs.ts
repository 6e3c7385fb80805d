import { rmdirSync } from 'node:fs';

/**
 * Removes each directory (in order: children before their parents) if it is empty; one that is gone, not empty
 * (another lesson's things are in it) or busy (a cgroup something still runs in) stays. A lesson's clean-up
 * leaves what it did not make.
 */
export function removeEmptyDirs(paths: readonly string[]): void {
  for (const path of paths) {
    try {
      rmdirSync(path);
    } catch {
      // Gone, not empty or busy: not this clean-up's to remove.
    }
  }
}
