import type { ResultPromise } from 'execa';
import { loadExeca } from '../exec/index.js';

export interface LabProcessOptions {
  /** What the process calls itself (argv[0]): how a lesson's checks and `isolab clean` find it. */
  argv0?: string;
  cwd?: string;
}

/**
 * Starts a long-lived lab process the way `setsid -f` does in a lesson: its own session and process group, no
 * terminal, not waited for. It outlives the check that started it (the runner kills only the groups it
 * started through `context.exec`), so it inherits isolab's environment, and with it the checkout mark
 * (`ISOLAB_CHECKOUT`) that `isolab clean` reads. Resolves with its pid once it runs.
 *
 * execa is imported on first use: the headless commands and the workbook start without loading it.
 */
export async function startLabProcess(command: string, args: readonly string[], options: LabProcessOptions = {}): Promise<number> {
  const execa = await loadExeca();
  const child: ResultPromise = execa(command, args, {
    argv0: options.argv0,
    cwd: options.cwd,
    detached: true,
    stdio: 'ignore',
    cleanup: false,
    reject: false,
  });
  // The promise is settled when the process ends, long after this check; nobody waits for it.
  void child.catch(() => undefined);
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid!));
    child.once('error', reject);
  });
  child.unref();
  return pid;
}
