import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../system/index.js';
import type { CheckContext } from '../verify/index.js';

export interface SolutionFiles {
  /** The reference solution's directory, relative to the package root: `checkers/02-cgroups/solutions/my-cgroup-tool`. */
  from: string;
  /** The exercise directory, relative to the workspace: `exercises/my-cgroup-tool`. */
  to: string;
  files: readonly string[];
}

/** The reference solution: complete copies of the lesson's files, written into the learner's exercise. */
export function writeSolution(context: CheckContext, solution: SolutionFiles): void {
  const target = join(context.workspace, solution.to);
  mkdirSync(target, { recursive: true });
  for (const file of solution.files) copyFileSync(join(packageRoot(), solution.from, file), join(target, file));
}

/**
 * A shortcut's program: the reference solution with one exported function's body replaced, as a learner who
 * hard-codes a figure writes it. Throws when the function is not there, so a renamed function cannot make the
 * shortcut vacuous.
 */
export function writeSolutionFaking(context: CheckContext, solution: SolutionFiles, fake: { file: string; fn: string; body: string }): void {
  writeSolution(context, solution);
  const path = join(context.workspace, solution.to, fake.file);
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(`export function ${fake.fn}(`);
  const open = start < 0 ? -1 : text.indexOf('{\n', start);
  const close = open < 0 ? -1 : text.indexOf('\n}\n', open);
  if (close < 0) throw new Error(`no function ${fake.fn} in the reference ${fake.file}`);
  writeFileSync(path, `${text.slice(0, open)}{\n  ${fake.body}${text.slice(close)}`);
}
