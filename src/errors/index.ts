/**
 * Expected failures carry a message, a remedy and a documented exit code; anything else is a bug.
 * The CLI turns the class into an exit code in one place (src/cli/main.ts).
 */

export const ExitCode = {
  ok: 0,
  checksFailed: 1,
  usage: 2,
  blocked: 3,
  internal: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad input or usage (exit 2), or an environment that cannot do it (exit 3). Printed without a stack. */
export class IsolabError extends Error {
  readonly remedy: string | undefined;
  readonly exitCode: ExitCode;

  constructor(message: string, options: { remedy?: string; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'IsolabError';
    this.remedy = options.remedy;
    this.exitCode = options.exitCode ?? ExitCode.usage;
  }
}

export function usageError(message: string, remedy?: string): IsolabError {
  return new IsolabError(message, { remedy, exitCode: ExitCode.usage });
}

export function blockedError(message: string, remedy?: string): IsolabError {
  return new IsolabError(message, { remedy, exitCode: ExitCode.blocked });
}

export function isIsolabError(error: unknown): error is IsolabError {
  return error instanceof IsolabError;
}

/** The errno code of a Node system error, if it is one. */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/**
 * `isolab list | head -1`: once the reader has gone, a write to the pipe fails with EPIPE. Node ignores SIGPIPE, so
 * the write does not end the process as it would a C program's; the stream's unhandled 'error' event does, with a
 * stack trace and exit 1. A reader that stops reading is not a failure: end at once, quietly, with exit 0, as
 * most command-line tools do (`set -o pipefail` scripts included). Both binaries call this first thing.
 */
export function endQuietlyWhenOutputCloses(
  streams: readonly NodeJS.WritableStream[] = [process.stdout, process.stderr],
  exit: (code: number) => void = process.exit,
): void {
  for (const stream of streams) {
    stream.on('error', (error: unknown) => {
      if (errnoCode(error) !== 'EPIPE') throw error;
      exit(ExitCode.ok);
    });
  }
}
