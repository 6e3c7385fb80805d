#!/usr/bin/env node
import chalk from 'chalk';
import { endQuietlyWhenOutputCloses, ExitCode, isIsolabError, usageError } from '../errors/index.js';
import { editDistance } from '../lessons/catalog.js';
import { isolabVersion } from '../system/index.js';
import { Workbook } from '../workbook/index.js';
import { parseCommandLine } from './args.js';
import type { Command, CommandContext } from './command.js';
import { commands } from './commands/index.js';
import { configureColor, err, out, warn } from './output.js';

async function main(argv: string[]): Promise<number> {
  const noColorRequested = argv.includes('--no-color');
  configureColor({ noColor: noColorRequested, env: process.env, isTTY: process.stdout.isTTY === true });
  try {
    const parsed = parseCommandLine(argv, new Set(commands.filter((command) => command.passThrough).map((command) => command.name)));
    if (parsed.flags.version) {
      out(isolabVersion());
      return ExitCode.ok;
    }
    if (parsed.command === 'help') {
      out(parsed.positionals[0] ? commandHelp(findCommand(parsed.positionals[0])) : usage());
      return ExitCode.ok;
    }
    if (parsed.command === undefined) {
      if (parsed.flags.help) {
        out(usage());
        return ExitCode.ok;
      }
      return await openWorkbook(argv);
    }
    const command = findCommand(parsed.command);
    if (parsed.flags.help) {
      out(commandHelp(command));
      return ExitCode.ok;
    }
    let workbook: Promise<Workbook> | undefined;
    const context: CommandContext = { ...parsed, workbook: (options) => (workbook ??= Workbook.open({ warn, ...options })) };
    return await command.run(context);
  } catch (error) {
    return reportError(error);
  }
}

/** `isolab` alone: the workbook in a terminal; elsewhere the lesson list and the headless commands. */
async function openWorkbook(argv: string[]): Promise<number> {
  const { flags } = parseCommandLine(argv);
  if (process.stdout.isTTY && process.stdin.isTTY && !flags.json) {
    // Only here are ink and React loaded (their own chunk), and while the environment is probed.
    const tui = import('../tui/index.js');
    // Warnings would tear the full-screen frame; they are printed once the terminal is back.
    const warnings: string[] = [];
    const workbook = await Workbook.open({ warn: (message) => warnings.push(message) });
    try {
      return await (await tui).openTui({ workbook, plain: flags.plain, noColor: flags.noColor });
    } finally {
      for (const message of warnings) warn(message);
    }
  }
  const { list } = await import('./commands/list.js');
  const code = await list.run({ ...parseCommandLine(argv), workbook: () => Workbook.open({ warn }) });
  out(`\nNext: isolab show <lesson>, isolab verify <lesson>. All commands: isolab --help`);
  return code;
}

function findCommand(name: string): Command {
  const command = commands.find((candidate) => candidate.name === name);
  if (command) return command;
  const close = commands.filter((candidate) => editDistance(name, candidate.name) <= 2).map((candidate) => candidate.name);
  throw usageError(
    `unknown command "${name}"`,
    close.length > 0 ? `Did you mean "isolab ${close[0]}"? \`isolab --help\` lists every command.` : '`isolab --help` lists every command.',
  );
}

function usage(): string {
  const width = Math.max(...commands.map((command) => command.usage.length));
  return [
    `${chalk.bold('isolab')} ${isolabVersion()}: a workbook for Linux isolation (namespaces, cgroups, OCI/runc, sandboxes)`,
    '',
    'Usage: isolab [command] [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`),
    '',
    'Options:',
    '  --json        machine-readable output (list, verify, doctor, hint, clean)',
    '  --no-color    no colours (so does NO_COLOR=1)',
    '  --plain       the workbook without box drawing',
    '  -h, --help    help for isolab or a command',
    '  -v, --version isolab\'s version',
    '',
    'Lessons are named by id (orientation/your-machine) or short form (0.1); show, verify and hint without one',
    'take the lesson you were last on.',
    'Exit codes: 0 ok, 1 checks failed, 2 bad input, 3 blocked by the environment, 4 internal error.',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return `Usage: isolab ${command.usage}\n\n${command.summary}.\n\nExample: ${command.example}`;
}

function reportError(error: unknown): number {
  if (isIsolabError(error)) {
    err(`${chalk.red('error:')} ${error.message}`);
    if (error.remedy) err(error.remedy);
    return error.exitCode;
  }
  err(`${chalk.red('internal error')} (a bug in isolab; please report it with this output):`);
  err(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return ExitCode.internal;
}

endQuietlyWhenOutputCloses();
process.exitCode = await main(process.argv.slice(2));
