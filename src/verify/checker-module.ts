import type { Checker } from './types.js';

/** A checker file's default export, checked for shape so a broken checker is named, not a TypeError later. */
export function toChecker(module: unknown, lessonId: string): Checker {
  const checker = (module as { default?: unknown }).default as Partial<Checker> | undefined;
  if (!checker || !Array.isArray(checker.checks) || checker.checks.length === 0) {
    throw new Error(`the checker of ${lessonId} must export default defineChecker({ checks: [...] }) with at least one check`);
  }
  return checker as Checker;
}
