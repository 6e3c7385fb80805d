import type { CheckContext, ExecResult } from '../verify/index.js';

/** What a failed command said: its error output, why it could not start, or its exit status. */
export function whatFailed(result: ExecResult): string {
  const ended = result.timedOut ? 'timed out' : result.exitCode === null ? `killed by ${result.signal ?? 'a signal'}` : `exit ${result.exitCode}`;
  return (result.stderr.trim() || result.spawnError || ended).trim();
}

/**
 * The JSON a command prints (`ip -j link show`), or why there is none: the command failed (its words) or printed
 * something that is not JSON. Never throws: a missing link or namespace is often what a check reports.
 */
export async function commandJson<T>(context: Pick<CheckContext, 'exec'>, command: string, args: readonly string[], timeoutMs = 5_000): Promise<{ value: T; error?: undefined } | { value?: undefined; error: string }> {
  const result = await context.exec(command, args, { timeoutMs });
  if (result.exitCode !== 0) return { error: `${command}: ${whatFailed(result)}` };
  try {
    return { value: JSON.parse(result.stdout) as T };
  } catch {
    return { error: `${command} did not print JSON: ${result.stdout.trim().slice(0, 120)}` };
  }
}
