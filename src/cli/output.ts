import chalk from 'chalk';
import { err } from '../command/index.js';

export { err, out } from '../command/index.js';

/** chalk ignores NO_COLOR by itself (stack.md); isolab honours it and --no-color, and never colours a pipe. */
export function configureColor(options: { noColor: boolean; env: NodeJS.ProcessEnv; isTTY: boolean }): void {
  if (options.noColor || options.env.NO_COLOR || !options.isTTY) chalk.level = 0;
}

export const warn = (text: string): void => err(`${chalk.yellow('warning:')} ${text}`);
