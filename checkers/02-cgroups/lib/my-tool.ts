// What the checkers of the code lessons share: compile the learner's tool, run it, prepare and read cgroups.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CgroupManager } from '../../../src/cgroup/index.js';
import { packageRoot } from '../../../src/system/index.js';
import { compileExercise, LearnerCodeError, type CheckContext, type CheckOutcome, type CompiledProgram, type ExecResult } from '../../../src/verify/index.js';

export const toolEntry = 'exercises/my-cgroup-tool/main.ts';
export const cgroupRoot = '/sys/fs/cgroup';

export const dirOf = (name: string) => join(cgroupRoot, name);
export const readFile = (name: string, file: string) => (existsSync(join(dirOf(name), file)) ? readFileSync(join(dirOf(name), file), 'utf8').trim() : null);
export const keyed = (name: string, file: string): Record<string, number> =>
  Object.fromEntries((readFile(name, file) ?? '').split('\n').filter(Boolean).map((line) => [line.split(' ')[0]!, Number(line.split(' ')[1])]));

/** Compiles the learner's tool and hands it to `check`; a compile error is a failed check, with esbuild's words. */
export async function withMyTool(context: CheckContext, check: (tool: CompiledProgram) => Promise<CheckOutcome>): Promise<CheckOutcome> {
  let tool: CompiledProgram;
  try {
    tool = await compileExercise(context, toolEntry);
  } catch (error) {
    if (!(error instanceof LearnerCodeError)) throw error;
    return { pass: false, message: `your tool does not compile: ${error.message}`, hint: 'Fix the error esbuild names (file and line), then verify again.' };
  }
  try {
    return await check(tool);
  } finally {
    tool.dispose();
  }
}

/** What to say when the learner's command failed: a TODO left, or the tool's own error. */
export function explainRun(result: ExecResult, file: string, fn: string): { message: string; hint: string } {
  const said = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
  if (/TODO\(/.test(said)) return { message: `${fn} is not written yet (${said.replace(/^my-cgroup-tool: /, '')})`, hint: `Write ${fn} in exercises/my-cgroup-tool/${file}.` };
  if (result.timedOut) return { message: `your tool did not finish in time`, hint: 'Something in it waits forever; run it by hand to see where.' };
  return { message: `your tool exited ${result.exitCode}: ${said}`, hint: 'Run it by hand: isolab exercise my-cgroup-tool …, and read the error.' };
}

/** isolab's own manager prepares and removes lab cgroups; the learner's code is what is being checked. */
export const manager = () => new CgroupManager();

export async function freshCgroup(name: string, controllers?: string[]): Promise<void> {
  await removeCgroup(name);
  manager().create(name, controllers);
}

export async function removeCgroup(name: string): Promise<void> {
  const cgroups = manager();
  if (cgroups.backend.exists(name)) await cgroups.delete(name, { kill: true });
}

/** Runs a command inside a cgroup: it joins first, then execs, so nothing runs outside. */
export function runInside(context: CheckContext, name: string, command: string, args: string[], timeoutMs = 20_000) {
  return context.exec('sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', dirOf(name), command, ...args], { timeoutMs });
}

/** The reference solution: a complete version of the lesson's files, written into the workspace. */
export function writeSolution(context: CheckContext, files: string[]): void {
  for (const file of files) {
    copyFileSync(join(packageRoot(), 'checkers/02-cgroups/solutions/my-cgroup-tool', file), join(context.workspace, 'exercises/my-cgroup-tool', file));
  }
}

/**
 * A shortcut's tool: the reference solution with one function's body replaced, as a learner who hard-codes a
 * figure writes it. Throws when the function is not found, so a renamed function cannot make the shortcut vacuous.
 */
export function writeSolutionFaking(context: CheckContext, files: string[], file: string, fn: string, body: string): void {
  writeSolution(context, files);
  const path = join(context.workspace, 'exercises/my-cgroup-tool', file);
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(`export function ${fn}(`);
  const open = start < 0 ? -1 : text.indexOf('{\n', start);
  const close = open < 0 ? -1 : text.indexOf('\n}\n', open);
  if (close < 0) throw new Error(`no function ${fn} in the reference ${file}`);
  writeFileSync(path, `${text.slice(0, open)}{\n  ${body}${text.slice(close)}`);
}

export const removeIfEmpty = async (name: string) => {
  const cgroups = manager();
  if (cgroups.backend.exists(name) && cgroups.children(name).length === 0) await cgroups.delete(name, { kill: true });
};

/** The JSON your tool's stats printed, or undefined. */
export function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
