import { withInteractiveEnv } from './interactive-env.js';
import { withNodeRequire } from './node-require.js';
import type { WorkbookApi } from './services.js';

export interface OpenTuiOptions {
  workbook: WorkbookApi;
  /** `--plain`: no box drawing. */
  plain: boolean;
  /** `--no-color` (NO_COLOR is read from the environment). */
  noColor: boolean;
}

/**
 * The workbook in a terminal. This module imports nothing of ink or React itself: they are in the chunk loaded
 * here, so the headless commands never load them, and ink is loaded in the environment a terminal needs.
 */
export async function openTui(options: OpenTuiOptions): Promise<number> {
  const { runTui } = await withInteractiveEnv(() => withNodeRequire(() => import('./run.js')));
  return runTui(options);
}

export type { WorkbookApi, TuiServices, TerminalControl, FileWatcher } from './services.js';
export type { CgroupReading, CgroupStatsReader } from './cgroup-stats.js';
