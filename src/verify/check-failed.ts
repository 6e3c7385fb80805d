import type { CheckOutcome } from './types.js';

/**
 * A check's failure, thrown instead of returned: a helper deep in a check (compiling the learner's program,
 * finding their process, reading a cgroup file they should have written) can end the check with a failure that
 * says what it saw and what to try, and the check reads as a straight line of the lesson's steps. The runner
 * records it exactly as a returned `{ pass: false }` outcome; any other exception is still an error of the check.
 */
export class CheckFailed extends Error {
  readonly outcome: CheckOutcome;

  constructor(failure: Omit<CheckOutcome, 'pass'>) {
    super(failure.message);
    this.name = 'CheckFailed';
    this.outcome = { ...failure, pass: false };
  }
}

/** Ends the running check as failed: `failCheck({ message, hint, observed })`. */
export function failCheck(failure: Omit<CheckOutcome, 'pass'>): never {
  throw new CheckFailed(failure);
}
