import chalk from 'chalk';
import { render } from 'ink';
import { watchFiles } from '../workbook/index.js';
import { cgroupStatsReader } from './cgroup-stats.js';
import { colorLevel } from './color.js';
import { App } from './components/App.js';
import type { OpenTuiOptions } from './index.js';
import type { TuiServices } from './services.js';
import { TerminalSession } from './terminal.js';
import { makeTheme, ThemeContext } from './theme.js';

/** Runs the workbook in this terminal until the learner quits; the terminal is restored however it ends. */
export async function runTui({ workbook, plain, noColor }: OpenTuiOptions): Promise<number> {
  // ink colours through this same chalk.
  chalk.level = colorLevel({ noColor, env: process.env, current: chalk.level });
  const session = new TerminalSession();
  const restore = () => {
    try {
      session.restore();
    } catch {
      // The terminal is gone (SIGHUP): there is nothing left to restore.
    }
  };
  // A crash must not leave the learner on the alternate screen: 'exit' runs for it. A signal kills Node
  // without 'exit'; ink's own handler (signal-exit) only restores raw mode and the cursor, and stands aside
  // while another listener exists. So: restore, step aside, and send the signal again for ink and the default.
  const onSignal = (signal: NodeJS.Signals) => {
    restore();
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.kill(process.pid, signal);
  };
  process.once('exit', restore);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  const services: TuiServices = {
    workbook,
    terminal: session,
    cgroupReader: cgroupStatsReader(workbook.system),
    watchFiles,
  };
  session.enter();
  try {
    const instance = render(
      <ThemeContext.Provider value={makeTheme({ plain, color: chalk.level > 0 })}>
        <App services={services} />
      </ThemeContext.Provider>,
      { stdout: session.stdout, exitOnCtrlC: false, patchConsole: true },
    );
    await instance.waitUntilExit();
  } finally {
    restore();
    process.off('exit', restore);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
  return 0;
}
