// The built cgroup-tool as a learner runs it, without changing the machine (the live scenarios are in
// test/cgroup-scenarios.ts).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';

const bin = join(repoRoot, 'dist/cgroup-tool.js');
const tool = (...args: string[]) => {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

/** Every file the bundle loads at start-up (its static imports, followed), and the modules it imports by name. */
function startupFiles(entry: string): { files: string[]; external: Set<string> } {
  const files: string[] = [];
  const external = new Set<string>();
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?(?:from\s*)?"([^"]+)";?$/gm)) {
      if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!));
      else external.add(specifier!);
    }
  };
  visit(entry);
  return { files, external };
}

describe('cgroup-tool', () => {
  it('starts with Node built-ins only: no package, no zod, ink or React', () => {
    const { files, external } = startupFiles(bin);
    expect([...external].filter((name) => !name.startsWith('node:'))).toEqual([]);
    const sources = files.map((file) => readFileSync(file, 'utf8'));
    // The imports were followed into the shared chunks (the cgroup manager is in one of them).
    expect(sources.some((source) => source.includes('// src/cgroup/manager.ts'))).toBe(true);
    for (const source of sources) expect(source).not.toMatch(/node_modules\//);
  });

  it('prints its overview (exit 2 without a command, 0 for --help) and help on one command', () => {
    const alone = tool();
    expect(alone.code).toBe(2);
    expect(alone.stdout).toContain('Usage: cgroup-tool <command> [options]');
    expect(tool('--help').code).toBe(0);
    const help = tool('help', 'rm');
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toBe('Usage: cgroup-tool delete <cgroup> [--kill] [--force]\n\nremove a cgroup and its children (--kill kills their processes first).\n\nAlso called: rm\n\nExample: cgroup-tool delete isolab/lab --kill\n');
    expect(tool('stats', '--help').stdout).toContain('Example: cgroup-tool stats isolab/lab --json');
  });

  it.each([
    [['crate', 'isolab/lab'], 'cgroup-tool: unknown command "crate"\nDid you mean "cgroup-tool create"? `cgroup-tool --help` lists every command.\n'],
    [['create'], 'cgroup-tool: missing cgroup name\nUsage: cgroup-tool create <cgroup> [--controllers cpu,memory,pids,io]\nExample: cgroup-tool create isolab/lab\n'],
    [['ls', '--frobnicate'], "cgroup-tool: Unknown option '--frobnicate'\n`cgroup-tool --help` lists the commands and their options.\n"],
  ])('refuses %j with exit 2, a message and a remedy', (args, stderr) => {
    expect(tool(...args)).toEqual({ code: 2, stdout: '', stderr });
  });
});
