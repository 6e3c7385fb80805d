import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';
import { usageError } from '../../errors/index.js';
import { editDistance } from '../../command/index.js';
import { loadExeca } from '../../exec/index.js';
import { packageRoot } from '../../system/index.js';
import { compileLearnerProgram, LearnerCodeError } from '../../verify/index.js';
import type { Command } from '../command.js';

export const exercise: Command = {
  name: 'exercise',
  usage: 'exercise <name> [args…]',
  operands: 'exercise name, arguments…?',
  summary: 'compiles your program in exercises/<name>/ and runs it with these arguments (as verify compiles it)',
  example: 'isolab exercise my-cgroup-tool create isolab/my-mem',
  passThrough: true,
  async run(context) {
    const [name] = context.positionals as [string];
    // The checkout isolab runs from, wherever the learner's shell is: exercises/ belongs to it.
    return runExercise({ workspace: packageRoot(), name, args: context.positionals.slice(1), cwd: process.cwd() });
  },
};

/** The exercises of a checkout: the directories under exercises/ that hold a main.ts. */
export function exerciseNames(workspace: string): string[] {
  const dir = join(workspace, 'exercises');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'main.ts')))
    .map((entry) => entry.name)
    .sort();
}

export interface ExerciseRun {
  workspace: string;
  name: string;
  args: readonly string[];
  /** Where the program runs: the learner's directory, so relative paths they pass mean what they meant. */
  cwd: string;
  /** The program's stdin, stdout and stderr: the terminal's unless given (a test passes file descriptors). */
  stdio?: readonly [stdin: 'ignore' | 'inherit', stdout: number | 'inherit', stderr: number | 'inherit'];
}

/**
 * Compiles `exercises/<name>/main.ts` the way the checkers do and runs it with the Node that runs isolab, so a
 * root shell whose PATH has no Node (sudo's secure_path) runs it all the same. Its exit status is isolab's; a
 * program killed by a signal exits 128 + the signal's number, as a shell reports it.
 */
export async function runExercise(run: ExerciseRun): Promise<number> {
  const names = exerciseNames(run.workspace);
  if (!names.includes(run.name)) {
    const close = names.filter((candidate) => editDistance(run.name, candidate) <= 3);
    throw usageError(
      `unknown exercise "${run.name}"`,
      `${close.length > 0 ? `Did you mean "${close[0]}"? ` : ''}The exercises: ${names.join(', ')}. e.g. ${exercise.example}`,
    );
  }
  let compiled;
  try {
    compiled = await compileLearnerProgram(run.workspace, `exercises/${run.name}/main.ts`);
  } catch (error) {
    if (!(error instanceof LearnerCodeError)) throw error;
    throw usageError(`your program does not compile: ${error.message}`, 'Fix the error at that file and line, then run it again.');
  }
  try {
    return await runToExit(process.execPath, [compiled.file, ...run.args], run);
  } finally {
    compiled.dispose();
  }
}

async function runToExit(command: string, args: string[], run: ExerciseRun): Promise<number> {
  const execa = await loadExeca();
  // execa passes any open file descriptor on to the program, though its types name only 1 to 9.
  const [stdin, stdout, stderr] = (run.stdio ?? ['inherit', 'inherit', 'inherit']) as readonly ['ignore' | 'inherit', 1 | 'inherit', 2 | 'inherit'];
  const child = execa(command, args, { cwd: run.cwd, stdin, stdout, stderr, reject: false, cleanup: false });
  // Ctrl-C reaches the program from the terminal by itself; isolab waits for it to end rather than die first
  // and leave it running. A SIGTERM or SIGHUP sent to isolab alone is passed on.
  const forward = (signal: NodeJS.Signals) => () => void child.kill(signal);
  const handlers = { SIGINT: () => {}, SIGTERM: forward('SIGTERM'), SIGHUP: forward('SIGHUP') } as const;
  for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
  try {
    const { exitCode, signal, shortMessage } = await child;
    if (exitCode === undefined && signal === undefined) throw new Error(shortMessage);
    return exitCode ?? 128 + (signal ? constants.signals[signal] : 0);
  } finally {
    for (const [signal, handler] of Object.entries(handlers)) process.off(signal, handler);
  }
}
