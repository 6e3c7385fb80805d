import { ExitCode, isIsolabError } from '../errors/index.js';
import { endQuietlyWhenOutputCloses } from './closed-output.js';
import { commandHelp } from './help.js';
import { err, out } from './output.js';
import { bindAlone, bindCommand, parseCommandLine, requireCommand } from './parse.js';
import type { Command, Invocation, OptionTable, Program } from './types.js';

/** The entry of a binary: a closed output pipe ends it quietly, and its exit code is the command's. */
export async function runMain<Options extends OptionTable, Context>(program: Program<Options, Context>): Promise<void> {
  endQuietlyWhenOutputCloses();
  process.exitCode = await runProgram(program, process.argv.slice(2));
}

/**
 * Runs a command line: `--version`; `help [command]`, `--help` and `<command> --help`; the program alone; or the
 * command. Every error ends here and becomes the exit code it carries (`describeFailure`).
 */
export async function runProgram<Options extends OptionTable, Context>(program: Program<Options, Context>, argv: readonly string[]): Promise<number> {
  try {
    const line = parseCommandLine(program, argv);
    if (line.flags.version) return print(program.version(), ExitCode.ok);
    if (line.name === 'help') {
      const topic = line.positionals[0];
      return print(topic === undefined ? program.overview() : commandHelp(program.name, requireCommand(program, topic)), ExitCode.ok);
    }
    if (line.name === undefined) {
      if (line.flags.help || !program.alone) return print(program.overview(), line.flags.help ? ExitCode.ok : ExitCode.usage);
      return await program.alone(bindAlone(program, line));
    }
    const command = requireCommand(program, line.name);
    if (line.flags.help) return print(commandHelp(program.name, command), ExitCode.ok);
    return await command.run(program.context(bindCommand(program, command, line)));
  } catch (error) {
    const failure = describeFailure(program, error);
    for (const text of failure.lines) err(text);
    return failure.code;
  }
}

/**
 * A command line that names a command, read and checked as `runProgram` does, without running it: for tests that
 * run a command with a context of their own.
 */
export function prepareCommand<Options extends OptionTable, Context>(
  program: Program<Options, Context>,
  argv: readonly string[],
): { command: Command<Context>; invocation: Invocation<Options> } {
  const line = parseCommandLine(program, argv);
  if (line.name === undefined) throw new Error(`no command in ${JSON.stringify(argv)}`);
  const command = requireCommand(program, line.name);
  return { command, invocation: bindCommand(program, command, line) };
}

/**
 * What an error says and the exit code it ends with: an expected one (IsolabError) its message, remedy and code
 * (2 bad input, 3 blocked); anything else is a bug: exit 4 with the stack, to be reported.
 */
export function describeFailure(program: Pick<Program<OptionTable, unknown>, 'name' | 'errorLine'>, error: unknown): { code: number; lines: string[] } {
  if (isIsolabError(error)) return { code: error.exitCode, lines: [program.errorLine(error.message), ...(error.remedy ? [error.remedy] : [])] };
  return {
    code: ExitCode.internal,
    lines: [
      program.errorLine(`internal error (a bug in ${program.name}; please report it with this output):`),
      error instanceof Error ? (error.stack ?? error.message) : String(error),
    ],
  };
}

function print(text: string, code: number): number {
  out(text);
  return code;
}
