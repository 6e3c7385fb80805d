import { isIsolabError } from '../errors/index.js';

/** An error as one line for the status bar: an expected failure's message and remedy, or a bug's message. */
export function describeError(error: unknown): string {
  if (isIsolabError(error)) return error.remedy ? `${error.message}. ${error.remedy}` : error.message;
  return error instanceof Error ? `${error.message} (an internal error in isolab; please report it)` : String(error);
}
