import { parseArgs } from 'node:util';
import { usageError, type IsolabError } from '../errors/index.js';
import { closest } from './suggest.js';
import { standardOptions, type Command, type Flags, type Invocation, type OptionTable, type Program } from './types.js';

/** A command line read against a program's options, before its command is looked up. */
export interface CommandLine<Options extends OptionTable> {
  /** The command as typed (the first positional), if any. */
  name: string | undefined;
  positionals: string[];
  rest: string[];
  flags: Flags<Options>;
}

/**
 * Reads `argv` (without node and the script). Options may come anywhere; an unknown one is a usage error. A word
 * like `-1` is a value (`pids-max x -1`, refused later with a reason), never an option. What follows `--` is the
 * command of a command that `takesCommand`, and operands for any other. For a `passThrough` command everything
 * after its first operand is left as typed.
 */
export function parseCommandLine<Options extends OptionTable, Context>(program: Program<Options, Context>, argv: readonly string[]): CommandLine<Options> {
  const options: OptionTable = { ...program.options, ...standardOptions };
  const { head, tail, afterDashes } = split(argv, options, (name) => findCommand(program.commands, name)?.passThrough === true);
  let values: Record<string, string | boolean | undefined>;
  let words: string[];
  try {
    const parsed = parseArgs({ args: head.map(mask), options, allowPositionals: true, strict: true });
    values = parsed.values as typeof values;
    words = [...parsed.positionals.map(unmask), ...tail];
  } catch (error) {
    // parseArgs' messages name the option; what to do is the same for all of them.
    const message = error instanceof Error ? error.message.replace(/\.\s+(To specify|Did you forget).*$/s, '') : String(error);
    throw usageError(message, seeHelp(program.name));
  }
  let rest = afterDashes;
  let name = words.shift();
  if (name === undefined) [name, ...rest] = afterDashes;
  const takesCommand = name !== undefined && findCommand(program.commands, name)?.takesCommand === true;
  const flags = Object.fromEntries(
    Object.entries(options).map(([key, spec]) => {
      const value = values[key];
      return [key, typeof value === 'string' ? unmask(value) : (value ?? (spec.type === 'boolean' ? false : undefined))];
    }),
  ) as Flags<Options>;
  return { name, positionals: takesCommand ? words : [...words, ...rest], rest: takesCommand ? rest : [], flags };
}

/** The command a name or alias calls, if any. */
export function findCommand<Context>(commands: readonly Command<Context>[], name: string): Command<Context> | undefined {
  return commands.find((command) => command.name === name || command.aliases?.includes(name));
}

/** The command a name calls, or a usage error that suggests the closest one. */
export function requireCommand<Context>(program: { name: string; commands: readonly Command<Context>[] }, name: string): Command<Context> {
  const command = findCommand(program.commands, name);
  if (command) return command;
  const names = program.commands.flatMap((candidate) => [candidate.name, ...(candidate.aliases ?? [])]);
  const close = closest(name, names, 2);
  const list = `\`${program.name} --help\` lists every command.`;
  throw usageError(`unknown command "${name}"`, close ? `Did you mean "${program.name} ${close}"? ${list}` : list);
}

/** The command's invocation once its operands are checked: a missing one or one too many is a usage error. */
export function bindCommand<Options extends OptionTable, Context>(program: Program<Options, Context>, command: Command<Context>, line: CommandLine<Options>): Invocation<Options> {
  const usage = (message: string): IsolabError => usageError(message, `Usage: ${program.name} ${command.usage}\nExample: ${command.example}`);
  const operands = command.operands === undefined ? [] : command.operands.split(',').map(readOperand);
  operands.forEach((operand, index) => {
    if (!operand.optional && line.positionals[index] === undefined) throw usage(`missing ${operand.what}`);
  });
  if (!operands.at(-1)?.more && line.positionals.length > operands.length) throw usage(`unexpected argument "${line.positionals[operands.length]}"`);
  return { positionals: line.positionals, rest: line.rest, flags: line.flags, usageError: usage };
}

/** The invocation of a program run without a command: its usage errors point at the overview. */
export function bindAlone<Options extends OptionTable, Context>(program: Program<Options, Context>, line: CommandLine<Options>): Invocation<Options> {
  return { ...line, usageError: (message) => usageError(message, seeHelp(program.name)) };
}

const seeHelp = (programName: string) => `\`${programName} --help\` lists the commands and their options.`;

/** `cgroup name` required, `lesson id?` optional, `limit…` it and all after it. */
function readOperand(text: string): { what: string; optional: boolean; more: boolean } {
  const spec = text.trim();
  const optional = spec.endsWith('?');
  const base = optional ? spec.slice(0, -1) : spec;
  const more = base.endsWith('…');
  return { what: more ? base.slice(0, -1) : base, optional, more };
}

/**
 * Where parseArgs' part of the command line ends: at `--`, or for a pass-through command after its first operand.
 * Finding that operand means skipping the values of options that take one.
 */
function split(argv: readonly string[], options: OptionTable, passThrough: (name: string) => boolean): { head: string[]; tail: string[]; afterDashes: string[] } {
  const takesValue = new Set(
    Object.entries(options)
      .filter(([, spec]) => spec.type === 'string')
      .flatMap(([name, spec]) => [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])]),
  );
  let name: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    if (token === '--') return { head: argv.slice(0, index), tail: [], afterDashes: argv.slice(index + 1) };
    if (isOption(token)) {
      if (takesValue.has(token)) index++;
    } else if (name === undefined) {
      name = token;
    } else if (passThrough(name)) {
      return { head: argv.slice(0, index + 1), tail: argv.slice(index + 1), afterDashes: [] };
    }
  }
  return { head: [...argv], tail: [], afterDashes: [] };
}

const negative = /^-\d/;
const isOption = (token: string) => token.startsWith('-') && token !== '-' && !negative.test(token);

// parseArgs would take `-1` for an option; hidden behind a NUL (no argument can hold one) it is a plain word.
const marker = '\u0000';
const mask = (token: string) => (negative.test(token) ? `${marker}${token}` : token);
const unmask = (token: string) => (token.startsWith(marker) ? token.slice(marker.length) : token);
