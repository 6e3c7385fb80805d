import { usageError } from '../../errors/index.js';
import type { ToolCommand } from '../tool.js';

export const run: ToolCommand = {
  name: 'run',
  aliases: ['exec'],
  usage: 'run <cgroup> -- <command> [args…]',
  operands: 'cgroup name',
  takesCommand: true,
  summary: 'run a command inside the cgroup (it joins before it starts: nothing runs outside)',
  example: 'cgroup-tool run isolab/lab -- stress-ng --vm 1 --vm-bytes 100M',
  async run(context) {
    const [name] = context.positionals as [string];
    const [command, ...args] = context.rest;
    if (!command) throw usageError('missing the command to run', `Put it after --: ${run.example}`);
    // The program shares our terminal: Ctrl-C reaches it directly; we only wait for it.
    const ignore = () => {};
    process.on('SIGINT', ignore);
    try {
      const { exitCode, signal, spawnError } = await context.manager().run(name, command, args);
      if (spawnError !== undefined) {
        context.warn(`cannot run ${command}: ${spawnError}`);
        return 127;
      }
      if (signal) context.warn(`${command} was killed by ${signal}${signal === 'SIGKILL' ? ' (an OOM kill? see cgroup-tool stats ' + name + ')' : ''}`);
      return exitCode ?? 128 + (signal ? signalNumber(signal) : 0);
    } finally {
      process.off('SIGINT', ignore);
    }
  },
};

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}
