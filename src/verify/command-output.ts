import type { CheckContext } from './types.js';

/** What a command a lesson teaches prints, trimmed; a failure is the checker's to report, so it throws. */
export async function commandOutput(context: CheckContext, command: string, args: readonly string[], timeoutMs = 5_000): Promise<string> {
  const result = await context.exec(command, args, { timeoutMs });
  if (result.exitCode !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${(result.stderr || result.spawnError || `exit ${result.exitCode}`).trim()}`);
  return result.stdout.trim();
}
