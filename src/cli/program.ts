import chalk from 'chalk';
import { commandTable, type Invocation, type Program } from '../command/index.js';
import { isolabVersion } from '../system/index.js';
import { Workbook } from '../workbook/index.js';
import { isolabOptions, type CommandContext } from './command.js';
import { commands } from './commands/index.js';
import { out, warn } from './output.js';

/** The `isolab` binary: the headless commands, and the workbook when it is run alone. */
export const isolab: Program<typeof isolabOptions, CommandContext> = {
  name: 'isolab',
  version: isolabVersion,
  options: isolabOptions,
  commands,
  overview,
  context(invocation) {
    let workbook: Promise<Workbook> | undefined;
    return { ...invocation, workbook: (options) => (workbook ??= Workbook.open({ warn, ...options })) };
  },
  alone: openWorkbook,
  errorLine: (message) => `${chalk.red('error:')} ${message}`,
};

/** `isolab` alone: the workbook in a terminal; elsewhere the lesson list and the headless commands. */
async function openWorkbook(invocation: Invocation<typeof isolabOptions>): Promise<number> {
  const { flags } = invocation;
  if (process.stdout.isTTY && process.stdin.isTTY && !flags.json) {
    // Only here are ink and React loaded (their own chunk), and while the environment is probed.
    const tui = import('../tui/index.js');
    // Warnings would tear the full-screen frame; they are printed once the terminal is back.
    const warnings: string[] = [];
    const workbook = await Workbook.open({ warn: (message) => warnings.push(message) });
    try {
      return await (await tui).openTui({ workbook, plain: flags.plain, noColor: flags['no-color'] });
    } finally {
      for (const message of warnings) warn(message);
    }
  }
  const { list } = await import('./commands/list.js');
  const code = await list.run(isolab.context(invocation));
  out(`\nNext: isolab show <lesson>, isolab verify <lesson>. All commands: isolab --help`);
  return code;
}

function overview(): string {
  return [
    `${chalk.bold('isolab')} ${isolabVersion()}: a workbook for Linux isolation (namespaces, cgroups, OCI/runc, sandboxes)`,
    '',
    'Usage: isolab [command] [options]',
    '',
    'Commands:',
    ...commandTable(commands),
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
