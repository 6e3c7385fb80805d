import { parseArgs } from 'node:util';
import { usageError } from '../errors/index.js';

export interface GlobalFlags {
  json: boolean;
  noColor: boolean;
  help: boolean;
  version: boolean;
  all: boolean;
  live: boolean;
  junit: string | undefined;
  yes: boolean;
  fix: boolean;
  /** The workbook without box drawing (screen readers, limited fonts). */
  plain: boolean;
  /** Go ahead where a command would refuse to overwrite (rootfs into a non-empty directory). */
  force: boolean;
  csv: string | undefined;
  html: string | undefined;
  /** `show --commands`: only the lesson's shell commands. */
  commands: boolean;
  /** `show --commands --step N`: only that step's. */
  step: string | undefined;
}

export interface ParsedArgs {
  command: string | undefined;
  positionals: string[];
  flags: GlobalFlags;
}

const options = {
  json: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  all: { type: 'boolean' },
  live: { type: 'boolean' },
  junit: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  fix: { type: 'boolean' },
  plain: { type: 'boolean' },
  force: { type: 'boolean' },
  csv: { type: 'string' },
  html: { type: 'string' },
  commands: { type: 'boolean' },
  step: { type: 'string' },
} as const;

/**
 * `passThrough` names commands that run another program (`isolab exercise <name> <args…>`): everything after
 * their first positional is that program's, so it is appended to the positionals as written, unparsed.
 */
export function parseCommandLine(argv: string[], passThrough: ReadonlySet<string> = new Set()): ParsedArgs {
  const cut = passThroughStart(argv, passThrough);
  let parsed;
  try {
    parsed = parseArgs({ args: argv.slice(0, cut), options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs' messages name the option; the remedy is the same for all of them.
    const message = error instanceof Error ? error.message.replace(/\. To specify.*$/s, '') : String(error);
    throw usageError(message, '`isolab --help` lists the commands and their options.');
  }
  const [command, ...own] = parsed.positionals;
  const positionals = [...own, ...argv.slice(cut)];
  const values = parsed.values;
  return {
    command,
    positionals,
    flags: {
      json: values.json ?? false,
      noColor: values['no-color'] ?? false,
      help: values.help ?? false,
      version: values.version ?? false,
      all: values.all ?? false,
      live: values.live ?? false,
      junit: values.junit,
      yes: values.yes ?? false,
      fix: values.fix ?? false,
      plain: values.plain ?? false,
      force: values.force ?? false,
      csv: values.csv,
      html: values.html,
      commands: values.commands ?? false,
      step: values.step,
    },
  };
}

const takesValue = new Set(Object.entries(options).filter(([, option]) => option.type === 'string').map(([name]) => `--${name}`));

/** Where a pass-through command's program arguments begin: after the positional that follows the command. */
function passThroughStart(argv: string[], passThrough: ReadonlySet<string>): number {
  let command: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    if (token === '--') return argv.length;
    if (token.startsWith('-')) {
      if (takesValue.has(token)) index++;
      continue;
    }
    if (command !== undefined) return index + 1;
    if (!passThrough.has(token)) return argv.length;
    command = token;
  }
  return argv.length;
}
