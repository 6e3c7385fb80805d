import chalk from 'chalk';

/** chalk ignores NO_COLOR by itself (stack.md); isolab honours it and --no-color, and never colours a pipe. */
export function configureColor(options: { noColor: boolean; env: NodeJS.ProcessEnv; isTTY: boolean }): void {
  if (options.noColor || options.env.NO_COLOR || !options.isTTY) chalk.level = 0;
}

/** Results go to stdout, progress and warnings to stderr, so `--json` output stays parseable. */
export const out = (text: string): void => void process.stdout.write(`${text}\n`);
export const err = (text: string): void => void process.stderr.write(`${text}\n`);
export const warn = (text: string): void => err(`${chalk.yellow('warning:')} ${text}`);
