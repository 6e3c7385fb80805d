/** Results go to stdout, progress, warnings and errors to stderr, so `--json` output stays parseable. */
export const out = (text: string): void => void process.stdout.write(`${text}\n`);
export const err = (text: string): void => void process.stderr.write(`${text}\n`);
