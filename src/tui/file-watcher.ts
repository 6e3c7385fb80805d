import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { FileWatcher } from './services.js';

/**
 * Watches the directories that hold the files, not the files: editors often save by writing a new file and
 * renaming it over the old one, which a watch on the old file's inode would never see again. A directory that
 * cannot be watched is skipped; the watch mode's poll still catches its changes.
 */
export const watchFiles: FileWatcher = (paths, onChange) => {
  const names = new Map<string, Set<string>>();
  for (const path of paths) {
    const dir = dirname(path);
    names.set(dir, (names.get(dir) ?? new Set()).add(basename(path)));
  }
  const watchers: FSWatcher[] = [];
  for (const [dir, files] of names) {
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (!name || files.has(name.toString())) onChange();
      });
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
    } catch {
      // Left to the poll.
    }
  }
  return () => {
    for (const watcher of watchers) watcher.close();
  };
};
