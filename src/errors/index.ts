/**
 * Expected failures carry a message, a remedy and a documented exit code; anything else is a bug.
 * Both binaries turn the class into an exit code in one place (src/command's `runProgram`).
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
