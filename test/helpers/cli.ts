import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, runSync, type RunResult } from './run.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const isolabBin = join(repoRoot, 'dist/isolab.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function freshHome(): string {
  return mkdtempSync(join(tmpdir(), 'isolab-test-home-'));
}

/** Runs the built binary as a learner would, with its own state directory. */
export function isolab(args: string[], options: { home: string; env?: NodeJS.ProcessEnv; cwd?: string }): CliResult {
  return cliResult(runSync(process.execPath, [isolabBin, ...args], { cwd: options.cwd ?? repoRoot, env: learnerEnv(options), timeout: 60_000 }));
}

export async function isolabAsync(args: string[], options: { home: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  return cliResult(await run(process.execPath, [isolabBin, ...args], { cwd: repoRoot, env: learnerEnv(options) }));
}

function learnerEnv(options: { home: string; env?: NodeJS.ProcessEnv }): NodeJS.ProcessEnv {
  return { NO_COLOR: '1', ...options.env, ISOLAB_HOME: options.home };
}

/** A run as the CLI tests read it: `code` for the exit status. */
export function cliResult({ status, stdout, stderr }: RunResult): CliResult {
  return { code: status, stdout, stderr };
}

export const isRoot = process.geteuid?.() === 0;
