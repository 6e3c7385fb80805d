import type { Command } from './types.js';

/** `<program> help <command>` and `<program> <command> --help`. */
export function commandHelp(programName: string, command: Command<unknown>): string {
  const aliases = command.aliases?.length ? `\n\nAlso called: ${command.aliases.join(', ')}` : '';
  const notes = command.notes ? `\n\n${command.notes}` : '';
  return `Usage: ${programName} ${command.usage}\n\n${command.summary}.${notes}${aliases}\n\nExample: ${command.example}`;
}

/** The overview's lines of commands: each usage in a column, then what it does. */
export function commandTable(commands: readonly Command<unknown>[]): string[] {
  const width = Math.max(...commands.map((command) => command.usage.length));
  return commands.map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`);
}
