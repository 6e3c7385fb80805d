import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckContext } from '../verify/index.js';

const pollMs = 50;

/**
 * Polls `probe` until it gives a value (not undefined) and returns it. Throws, naming `what`, when `timeoutMs`
 * passed or the check was stopped (`context.signal`): a check that waits never outlives its run.
 */
export async function waitFor<T>(context: Pick<CheckContext, 'signal'>, what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (context.signal.aborted) throw new Error(`${what}: the check was stopped while waiting`);
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(pollMs);
  }
}

/** Polls `condition` until it holds (true) or the time is up or the check was stopped (false). */
export async function waitUntil(context: Pick<CheckContext, 'signal'>, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (context.signal.aborted || Date.now() > deadline) return false;
    await sleep(pollMs);
  }
}
