import { failCheck, type CheckContext } from '../verify/index.js';
import { readCgroupFile } from './cgroup-files.js';
import type { LearnerProgram } from './learner-program.js';

/** A command of the learner's program that writes one control file: `memory-max <cgroup> <size>` → `memory.max`. */
export interface ControlFileCommand {
  command: string;
  file: string;
  /** What is left to write when the run still throws a TODO: `setMemoryMax in exercises/my-cgroup-tool/memory.ts`. */
  write: string;
}

/**
 * Runs `<command> <cgroup> <given>` for each case. The check fails unless each run succeeds (see mustRun) and the
 * control file then reads the case's expected text; `hint(given, expected)` says how the two are related.
 */
export async function mustSetEach(context: Pick<CheckContext, 'system'>, program: LearnerProgram, cgroup: string, command: ControlFileCommand, cases: ReadonlyArray<readonly [given: string, expected: string]>, hint: (given: string, expected: string) => string): Promise<void> {
  for (const [given, expected] of cases) {
    await program.mustRun([command.command, cgroup, given], command.write);
    const read = readCgroupFile(context, cgroup, command.file);
    if (read !== expected) failCheck({ message: `${command.command} ${given} made ${command.file} read "${read}"`, hint: hint(given, expected), observed: { given, read: read ?? null } });
  }
}

/** Runs `<command> <cgroup> <value>` for each bad value. The check fails unless each is refused as bad input (exit 2). */
export async function mustRefuseEach(program: LearnerProgram, cgroup: string, command: ControlFileCommand, values: readonly string[], hint: string): Promise<void> {
  for (const value of values) {
    const result = await program.run([command.command, cgroup, value]);
    if (result.exitCode !== 2) failCheck({ message: `${command.command} ${value} exited ${result.exitCode}`, hint, observed: { given: value, exitCode: result.exitCode } });
  }
}
