#!/usr/bin/env node
// cgroup-tool: create, limit, watch and remove cgroups on the live kernel (v2 or v1). Node built-ins only.
import { parseArgs } from 'node:util';
import { CgroupManager } from '../cgroup/index.js';
import { endQuietlyWhenOutputCloses, ExitCode, isIsolabError, usageError } from '../errors/index.js';
import { isolabVersion } from '../system/index.js';
import { toolCommands, type ToolCommand, type ToolContext } from './commands.js';

const negative = '\u0000';
const out = (text: string) => void process.stdout.write(`${text}\n`);
const err = (text: string) => void process.stderr.write(`${text}\n`);

function usage(): string {
  const width = Math.max(...toolCommands.map((command) => command.usage.length));
  return [
    `cgroup-tool ${isolabVersion()}: cgroups on the live kernel (v2, or v1 on legacy and hybrid hosts)`,
    '',
    'Usage: cgroup-tool <command> [options]',
    '',
    ...toolCommands.map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`),
    '',
    'Cgroup names are paths from the cgroup mount root, as with cgcreate: isolab/lab is /sys/fs/cgroup/isolab/lab',
    '(on v1, the same path in each controller hierarchy). Sizes: 50M, 1.5G, max. CPU: 50%, 0.5 CPUs, "quota period".',
    'Exit codes: 0 ok, 2 bad input, 3 refused by the kernel or the environment, 4 internal error.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const split = argv.indexOf('--');
  const [head, rest] = split >= 0 ? [argv.slice(0, split), argv.slice(split + 1)] : [argv, []];
  try {
    let parsed;
    try {
      parsed = parseArgs({
        // A negative value (pids-max x -1) is a value to refuse with a reason, not an unknown option.
        args: head.map((token) => (/^-\d/.test(token) ? `${negative}${token}` : token)),
        allowPositionals: true,
        options: {
          json: { type: 'boolean' },
          force: { type: 'boolean' },
          kill: { type: 'boolean' },
          controllers: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
          version: { type: 'boolean', short: 'v' },
        },
      });
    } catch (error) {
      throw usageError(error instanceof Error ? error.message.replace(/\. To specify.*$/s, '') : String(error), '`cgroup-tool --help` lists the commands and options.');
    }
    const { values } = parsed;
    const positionals = parsed.positionals.map((token) => (token.startsWith(negative) ? token.slice(negative.length) : token));
    if (values.version) return out(isolabVersion()), ExitCode.ok;
    const [name, ...args] = positionals;
    if (!name) {
      out(usage());
      return values.help ? ExitCode.ok : ExitCode.usage;
    }
    const command = findCommand(name);
    if (values.help) {
      out(`Usage: cgroup-tool ${command.usage}\n\n${command.summary}.\n\nExample: ${command.example}`);
      return ExitCode.ok;
    }
    let manager: CgroupManager | undefined;
    const context: ToolContext = {
      positionals: args,
      rest,
      flags: { json: values.json ?? false, force: values.force ?? false, kill: values.kill ?? false, controllers: values.controllers },
      manager: () => (manager ??= new CgroupManager()),
      out,
      warn: (text) => err(`cgroup-tool: ${text}`),
    };
    return await command.run(context);
  } catch (error) {
    if (isIsolabError(error)) {
      err(`cgroup-tool: ${error.message}`);
      if (error.remedy) err(error.remedy);
      return error.exitCode;
    }
    err('cgroup-tool: internal error (a bug; please report it with this output):');
    err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return ExitCode.internal;
  }
}

function findCommand(name: string): ToolCommand {
  const command = toolCommands.find((candidate) => candidate.name === name || candidate.aliases?.includes(name));
  if (!command) throw usageError(`unknown command "${name}"`, '`cgroup-tool --help` lists the commands.');
  return command;
}

endQuietlyWhenOutputCloses();
process.exitCode = await main(process.argv.slice(2));
