/**
 * How a lab process is known to have been started by isolab for a checkout: `ISOLAB_CHECKOUT=<checkout root>` in
 * its environment. `isolab clean` kills those of its own checkout without asking, and asks before killing any
 * other marked process (another checkout's on a shared machine, or one a learner started by hand).
 */
export const checkoutEnvName = 'ISOLAB_CHECKOUT';

let depth = 0;
let outside: string | undefined;

/**
 * Runs `work` (a lesson step or a check) with ISOLAB_CHECKOUT=<checkout> in isolab's own environment, so every
 * program it starts inherits the mark: a long-lived lab process (`startLabProcess`) gets a copy of process.env. Only while lesson code runs, so that the learner's shell the
 * workbook opens, and what they start there by hand, carry no mark. Nested and overlapping runs (a watch while
 * a verify) keep it until the last one ends.
 */
export async function withCheckoutMark<T>(checkout: string, work: () => Promise<T>): Promise<T> {
  if (depth++ === 0) {
    outside = process.env[checkoutEnvName];
    process.env[checkoutEnvName] = checkout;
  }
  try {
    return await work();
  } finally {
    if (--depth === 0) {
      if (outside === undefined) delete process.env[checkoutEnvName];
      else process.env[checkoutEnvName] = outside;
    }
  }
}
