import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  const result = spawnSync(process.execPath, [isolabBin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...options.env, ISOLAB_HOME: options.home },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function isolabAsync(args: string[], options: { home: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [isolabBin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...options.env, ISOLAB_HOME: options.home },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const isRoot = process.geteuid?.() === 0;
