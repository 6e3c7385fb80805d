import chalk from 'chalk';
import type { Command } from '../command.js';
import { err } from '../output.js';

export const vm: Command = {
  name: 'vm',
  usage: 'vm [lesson] [--yes] [-- <command…>]',
  operands: 'lesson?',
  takesCommand: true,
  summary: 'a cgroup v2 lab VM under qemu sharing this checkout: a root shell, a lesson, or one command',
  notes: [
    'The VM boots this machine\'s own kernel when it can read it (else Debian\'s, fetched with your consent),',
    'with KVM where a trial boot shows it works, else TCG. Your checkout is shared read-write at the same path:',
    'progress, answers and exercise files written inside are yours. Everything else is thrown away at exit.',
    'With a lesson: the workbook opens there inside the VM; quitting it comes back. The command\'s exit status',
    'is isolab vm\'s. --yes: install qemu and fetch a kernel without asking, should the VM need them.',
  ].join('\n'),
  example: 'isolab vm -- isolab verify 2.3',
  async run(context) {
    const lessonKey = context.positionals[0];
    if (lessonKey !== undefined && context.rest.length > 0) throw context.usageError('give a lesson or a command, not both');
    let command = context.rest;
    if (lessonKey !== undefined) {
      const workbook = await context.workbook();
      // Opened here first: the workbook inside starts at the lesson the learner is on.
      await workbook.opened(workbook.catalog.require(lessonKey));
      command = [process.execPath, process.argv[1]!];
    }
    const { runLabVm } = await import('../../labvm/index.js');
    return runLabVm({
      command,
      interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
      yes: context.flags.yes,
      say: (line) => err(chalk.dim(line)),
    });
  },
};
