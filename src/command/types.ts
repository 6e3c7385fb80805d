import type { IsolabError } from '../errors/index.js';

/** An option as `node:util` parseArgs takes it: a flag, or one that takes a value (`--junit FILE`). */
export interface OptionSpec {
  readonly type: 'boolean' | 'string';
  readonly short?: string;
}
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** An option table's entries: `{ json: flag, junit: withValue, yes: { ...flag, short: 'y' } }`. */
export const flag = { type: 'boolean' } as const satisfies OptionSpec;
export const withValue = { type: 'string' } as const satisfies OptionSpec;

/** Every program has these two; the framework answers them itself. */
export const standardOptions = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies OptionTable;

/** The options as a command sees them: each flag true or false, each value given or undefined. */
export type Flags<Options extends OptionTable> = {
  -readonly [Name in keyof (Options & typeof standardOptions)]: (Options & typeof standardOptions)[Name]['type'] extends 'string' ? string | undefined : boolean;
};

/** What the command line gave the command, checked against its `operands`. */
export interface Invocation<Options extends OptionTable> {
  /** Its operands as typed, in order (for a pass-through command, the program's arguments after them). */
  positionals: string[];
  /** What follows `--`, for a command that `takesCommand`; any other takes those words as operands. */
  rest: string[];
  flags: Flags<Options>;
  /** A usage error (exit 2) whose remedy is the command's usage and example. */
  usageError(message: string): IsolabError;
}

export interface Command<Context> {
  /** What is typed after the program's name. */
  name: string;
  /** Other names that run it (cgroup-tool's `rm` for `delete`). */
  aliases?: readonly string[];
  /** The command line without the program's name: `answer <lesson> <key> <value>`. */
  usage: string;
  summary: string;
  /** What `help <command>` adds after the summary: behaviour worth knowing before using it. */
  notes?: string;
  example: string;
  /**
   * Its positionals in order, separated by commas, each as a "missing …" error names it: `cgroup name, process id`.
   * A `…` after the last one takes the words after it too (`cgroup name, a limit to set…`); a `?` makes one
   * optional (`lesson?`; only the last ones may be). None: it takes no positionals.
   */
  operands?: string;
  /** It runs another program: the words after its operands are that program's, unparsed (`isolab exercise`). */
  passThrough?: boolean;
  /** It runs a command given after `--` (`cgroup-tool run <cgroup> -- <command…>`). */
  takesCommand?: boolean;
  run(context: Context): Promise<number>;
}

/** A binary: its commands, its options, and the few things in which it differs from another. */
export interface Program<Options extends OptionTable, Context> {
  name: string;
  version(): string;
  /** Its options besides -h/--help and -v/--version; every command accepts them all. */
  options: Options;
  commands: readonly Command<Context>[];
  /** `<program> --help`: what it is, its commands (`commandTable`), its options and exit codes. */
  overview(): string;
  /** What a command runs with: the invocation and what the program adds (isolab's workbook, cgroup-tool's manager). */
  context(invocation: Invocation<Options>): Context;
  /** The program run without a command; without this, the overview and exit 2. */
  alone?(invocation: Invocation<Options>): Promise<number>;
  /** An error's first line on stderr: isolab's `error:` in red, cgroup-tool's own name as Unix tools do. */
  errorLine(message: string): string;
}
