import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Watches files; returns the function that stops watching. */
export type FileWatcher = (paths: readonly string[], onChange: () => void) => () => void;

/** How often the files are looked at as well, for where fs.watch hears nothing. */
export const filePollMs = 1_000;

/**
 * Calls `onChange` when one of the files changes: is written, replaced, created or removed.
 *
 * fs.watch is on the directories that hold the files, not on the files: editors often save by writing a new
 * file and renaming it over the old one, which a watch on the old file's inode would never see again. It hears
 * nothing on some filesystems (a checkout shared into a VM or a container from another machine), and a directory
 * may not exist yet, so the files are also looked at every `pollMs`. Either way a change is reported only when a
 * file's identity, size or time differs from the last report, so one save is one change, not one per event.
 */
export function watchFiles(paths: readonly string[], onChange: () => void, pollMs = filePollMs): () => void {
  let last = fingerprint(paths);
  const look = () => {
    const now = fingerprint(paths);
    if (now === last) return;
    last = now;
    onChange();
  };

  const names = new Map<string, Set<string>>();
  for (const path of paths) {
    const dir = dirname(path);
    names.set(dir, (names.get(dir) ?? new Set()).add(basename(path)));
  }
  const watchers: FSWatcher[] = [];
  for (const [dir, files] of names) {
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (!name || files.has(name.toString())) look();
      });
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
    } catch {
      // Left to the poll.
    }
  }
  // Not unref'd: it is what keeps `isolab watch` alive between runs.
  const poll = paths.length > 0 ? setInterval(look, pollMs) : undefined;
  return () => {
    clearInterval(poll);
    for (const watcher of watchers) watcher.close();
  };
}

/** What a file is now: its inode, size and change time, or that it is missing. */
function fingerprint(paths: readonly string[]): string {
  return paths
    .map((path) => {
      try {
        const stat = statSync(path);
        return `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('\n');
}
