import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { compiledProgramPrefix } from '../lab/index.js';
import { join } from 'node:path';
import type { CheckContext } from './types.js';

export interface CompiledProgram {
  /** Runs the learner's program with these arguments (in its own process group, bounded). */
  run(args: readonly string[], timeoutMs?: number): ReturnType<CheckContext['exec']>;
  dispose(): void;
}

/** The learner's program as one ES module on disk, for `node <file>`. */
export interface CompiledFile {
  file: string;
  dispose(): void;
}

export class LearnerCodeError extends Error {}

/**
 * Compiles the learner's TypeScript (an entry under exercises/ of `workspace`) into one ES module with esbuild's
 * API, in process. The learner's code is never confused with isolab's: it is bundled from the workspace alone,
 * and a compile error is the learner's to fix, so it is a LearnerCodeError with esbuild's first message,
 * at its file (relative to the workspace) and line. `isolab verify` and `isolab exercise` both compile this way.
 */
export async function compileLearnerProgram(workspace: string, entry: string): Promise<CompiledFile> {
  // esbuild stays outside isolab's bundle: it drives its own native binary.
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), `${compiledProgramPrefix}${process.pid}-`));
  const file = join(dir, 'program.mjs');
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    await build({
      entryPoints: [join(workspace, entry)],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
      absWorkingDir: workspace,
    });
  } catch (error) {
    dispose();
    const messages = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors ?? [];
    const first = messages[0];
    throw new LearnerCodeError(
      first ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}` : String(error),
    );
  }
  return { file, dispose };
}

/** The learner's program, compiled for a check: it runs with the checker's exec, bounded, in the workspace. */
export async function compileExercise(context: CheckContext, entry: string): Promise<CompiledProgram> {
  const { file, dispose } = await compileLearnerProgram(context.workspace, entry);
  return {
    run: (args, timeoutMs = 20_000) => context.exec(process.execPath, [file, ...args], { timeoutMs, cwd: context.workspace }),
    dispose,
  };
}
