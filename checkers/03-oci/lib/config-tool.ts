// Lesson 3.2: compile the learner's config.json editor, run it on copies of runc's template, compare the result.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/system/index.js';
import { compileExercise, LearnerCodeError, type CheckContext, type CheckOutcome, type CompiledProgram, type ExecResult } from '../../../src/verify/index.js';
import { runc, runcSaid, type OciSpec } from './runc.js';

export const toolEntry = 'exercises/oci-config/main.ts';

/** runc's template for a bundle, as this machine's runc writes it (lesson 3.2 requires runc). */
export async function templateSpec(context: CheckContext): Promise<{ spec: OciSpec }> {
  const dir = mkdtempSync(join(tmpdir(), 'isolab-oci-spec-'));
  try {
    const result = await runc(context, ['spec', '--bundle', dir]);
    if (result.exitCode !== 0) throw new Error(`runc spec: ${runcSaid(result)}`);
    return { spec: JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as OciSpec };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ToolRun {
  result: ExecResult;
  /** The file after the tool wrote it, or undefined when it is not JSON. */
  after?: OciSpec;
}

export interface ConfigTool {
  /** Writes `spec` to a scratch config.json, runs the learner's tool on it with `args`, reads it back. */
  edit(spec: OciSpec, args: readonly string[]): Promise<ToolRun>;
}

/** Compiles the learner's tool and hands it to `check`; a compile error is a failed check, with esbuild's words. */
export async function withConfigTool(context: CheckContext, check: (tool: ConfigTool, template: OciSpec) => Promise<CheckOutcome>): Promise<CheckOutcome> {
  let program: CompiledProgram;
  try {
    program = await compileExercise(context, toolEntry);
  } catch (error) {
    if (!(error instanceof LearnerCodeError)) throw error;
    return { pass: false, message: `your tool does not compile: ${error.message}`, hint: 'Fix the error esbuild names (file and line), then verify again.' };
  }
  const scratch = mkdtempSync(join(tmpdir(), 'isolab-oci-config-'));
  try {
    const { spec } = await templateSpec(context);
    let runs = 0;
    const tool: ConfigTool = {
      async edit(input, args) {
        const file = join(scratch, `config-${++runs}.json`);
        writeFileSync(file, JSON.stringify(input, null, '\t'));
        const result = await program.run([file, ...args], 20_000);
        try {
          return { result, after: JSON.parse(readFileSync(file, 'utf8')) as OciSpec };
        } catch {
          return { result };
        }
      },
    };
    return await check(tool, spec);
  } finally {
    program.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What to say when the tool failed: a TODO left (in `fn`, or in any function when fn is ''), or its own error. */
export function explainToolRun(run: ToolRun, fn: string): CheckOutcome | undefined {
  const { result } = run;
  if (result.exitCode === 0 && run.after) return undefined;
  const said = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
  if (/TODO\(/.test(said)) {
    const todo = said.replace(/^oci-config: /, '');
    return fn
      ? { pass: false, message: `${fn} is not written yet (${todo})`, hint: `Write ${fn} in exercises/oci-config/edit.ts.`, observed: { exitCode: result.exitCode } }
      : { pass: false, message: `a function is not written yet (${todo})`, hint: 'Write every function of exercises/oci-config/edit.ts: this check uses them all.', observed: { exitCode: result.exitCode } };
  }
  if (result.exitCode === 0) return { pass: false, message: 'the tool left a file that is not JSON', hint: 'main.ts writes the spec back with JSON.stringify: was main.ts changed?', observed: {} };
  if (result.timedOut) return { pass: false, message: 'your tool did not finish in time', hint: 'Something in it loops forever; run it by hand on a copy of config.json.', observed: {} };
  return { pass: false, message: `your tool exited ${result.exitCode}: ${said}`, hint: 'Run it by hand: isolab exercise oci-config /tmp/isolab-lab/oci/config/try.json …, and read the error.', observed: { exitCode: result.exitCode } };
}

/**
 * The JSON paths where two values differ (`process.args`, `mounts[7]`, `linux.namespaces[1].path`): what the
 * tool changed, to hold against what it was asked to change.
 */
export function changedPaths(before: unknown, after: unknown, path = ''): string[] {
  if (Object.is(before, after)) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    const paths: string[] = [];
    for (let index = 0; index < Math.max(before.length, after.length); index++) paths.push(...changedPaths(before[index], after[index], `${path}[${index}]`));
    return paths;
  }
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) => changedPaths(before[key], after[key], path ? `${path}.${key}` : key));
  }
  return [path || '(the whole file)'];
}

/** Changes outside the fields this edit may touch (each given as a path prefix). */
export function strayChanges(before: unknown, after: unknown, allowed: readonly string[]): string[] {
  return changedPaths(before, after).filter((path) => !allowed.some((prefix) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`)));
}

export function strayOutcome(stray: string[], fn: string): CheckOutcome {
  return {
    pass: false,
    message: `${fn} also changed ${stray.slice(0, 3).join(', ')}${stray.length > 3 ? ', …' : ''}`,
    hint: 'Change only the fields the function is about: runc reads every field, so a stray change is a different container.',
    observed: { stray },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The reference solution: edit.ts, complete, written into the workspace. */
export function writeSolution(context: CheckContext): void {
  const dir = join(context.workspace, 'exercises/oci-config');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(packageRoot(), 'checkers/03-oci/solutions/oci-config/edit.ts'), join(dir, 'edit.ts'));
}
