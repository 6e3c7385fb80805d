import { execa, execaSync } from 'execa';

export interface RunOptions {
  cwd?: string;
  /** Added to the test's own environment (execa's default), unless `extendEnv: false`. */
  env?: NodeJS.ProcessEnv;
  extendEnv?: boolean;
  timeout?: number;
  input?: string;
}

export interface RunResult {
  /** null when the program was killed by a signal (or never started). */
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Output exactly as the program wrote it, and a failing exit a result rather than a throw. */
const asWritten = { stripFinalNewline: false, reject: false } as const;

/** Runs a program to its end, as a test looks at it: exit status, stdout and stderr as text. */
export function runSync(command: string, args: readonly string[] = [], options: RunOptions = {}): RunResult {
  return resultOf(execaSync(command, args, { ...options, ...asWritten }));
}

export async function run(command: string, args: readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
  return resultOf(await execa(command, args, { ...options, ...asWritten }));
}

function resultOf(result: { exitCode?: number; stdout: string; stderr: string }): RunResult {
  return { status: result.exitCode ?? null, stdout: result.stdout, stderr: result.stderr };
}
