import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckContext } from './types.js';

export interface CompiledProgram {
  /** Runs the learner's program with these arguments (in its own process group, bounded). */
  run(args: readonly string[], timeoutMs?: number): ReturnType<CheckContext['exec']>;
  dispose(): void;
}

export class LearnerCodeError extends Error {}

/**
 * Compiles the learner's TypeScript (an entry under exercises/) into one ES module with esbuild's API, in
 * process. The learner's code is never confused with isolab's: it is bundled from the workspace alone, and
 * a compile error is the learner's to fix, so it is reported as a failed check with esbuild's message.
 */
export async function compileExercise(context: CheckContext, entry: string): Promise<CompiledProgram> {
  // esbuild stays outside isolab's bundle: it drives its own native binary.
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'isolab-exercise-'));
  const outfile = join(dir, 'program.mjs');
  try {
    await build({
      entryPoints: [join(context.workspace, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
      absWorkingDir: context.workspace,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const messages = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors ?? [];
    const first = messages[0];
    throw new LearnerCodeError(
      first ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}` : String(error),
    );
  }
  return {
    run: (args, timeoutMs = 20_000) => context.exec(process.execPath, [outfile, ...args], { timeoutMs, cwd: context.workspace }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
