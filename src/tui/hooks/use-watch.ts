import { useEffect, useRef } from 'react';
import type { FileWatcher } from '../services.js';

export interface WatchOptions {
  active: boolean;
  /** Absolute paths of the files to watch (the course: progress.json). */
  files: readonly string[];
  watchFiles: FileWatcher;
  onTrigger: () => void;
  /** A file is written in several steps; one trigger per burst of changes. */
  debounceMs?: number;
  /** Poll as well, for where no file event comes. */
  pollMs?: number;
}

/** While active: triggers at once, then on every (debounced) change of the files and on a short poll. */
export function useWatch({ active, files, watchFiles, onTrigger, debounceMs = 200, pollMs = 2000 }: WatchOptions): void {
  const trigger = useRef(onTrigger);
  trigger.current = onTrigger;
  const key = files.join('\n');
  useEffect(() => {
    if (!active) return;
    let debounce: NodeJS.Timeout | undefined;
    trigger.current();
    const poll = setInterval(() => trigger.current(), pollMs);
    const stop = watchFiles(key ? key.split('\n') : [], () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => trigger.current(), debounceMs);
    });
    return () => {
      clearInterval(poll);
      clearTimeout(debounce);
      stop();
    };
  }, [active, key, watchFiles, debounceMs, pollMs]);
}
