import type { Workbook } from '../workbook/index.js';
import type { ParsedArgs } from './args.js';
import { usageError } from '../errors/index.js';

export interface CommandContext extends ParsedArgs {
  /** Opens the workbook (probing the environment) once; `fullProbe` for doctor. */
  workbook(options?: { fullProbe?: boolean }): Promise<Workbook>;
}

export interface Command {
  name: string;
  /** `isolab <usage>` */
  usage: string;
  summary: string;
  example: string;
  /** It runs another program: the arguments after its first positional are that program's, unparsed. */
  passThrough?: boolean;
  run(context: CommandContext): Promise<number>;
}

/** The one positional a command takes, or a usage error naming it. */
export function requirePositional(context: CommandContext, index: number, what: string, command: Command): string {
  const value = context.positionals[index];
  if (value === undefined) throw usageError(`missing ${what}`, `Usage: isolab ${command.usage}   e.g. ${command.example}`);
  return value;
}

export function rejectExtra(context: CommandContext, expected: number, command: Command): void {
  const extra = context.positionals.slice(expected);
  if (extra.length > 0) {
    throw usageError(`unexpected argument "${extra[0]}"`, `Usage: isolab ${command.usage}   e.g. ${command.example}`);
  }
}
