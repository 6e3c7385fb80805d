import { constants } from 'node:os';
import { usageError } from '../../errors/index.js';
import { readText } from '../../system/index.js';
import type { ToolCommand } from '../tool.js';

/** Passed on to the command; cgroup-tool itself waits for the command to end. */
const forwarded = ['SIGINT', 'SIGTERM'] as const;

export const run: ToolCommand = {
  name: 'run',
  aliases: ['exec'],
  usage: 'run <cgroup> -- <command> [args…]',
  operands: 'cgroup name',
  takesCommand: true,
  summary: 'run a command inside the cgroup (it joins before it starts: nothing runs outside)',
  notes: [
    'SIGINT and SIGTERM sent to cgroup-tool are passed on to the command, and cgroup-tool exits as the command did',
    '(128 + the signal\'s number when a signal ended it). In the terminal\'s foreground, Ctrl-C reaches the command',
    'directly and is not sent twice. SIGKILL cannot be passed on: killing cgroup-tool with it leaves the command',
    'running in the cgroup, as with cgexec; cgroup-tool kill <cgroup> ends it.',
  ].join('\n'),
  example: 'cgroup-tool run isolab/lab -- stress-ng --vm 1 --vm-bytes 100M',
  async run(context) {
    const [name] = context.positionals as [string];
    const [command, ...args] = context.rest;
    if (!command) throw usageError('missing the command to run', `Put it after --: ${run.example}`);
    let child: number | undefined;
    let pending: NodeJS.Signals | undefined;
    let passedOn: NodeJS.Signals | undefined;
    const pass = (signal: NodeJS.Signals) => {
      // Ctrl-C on the terminal already reached the command (it shares our process group): a second SIGINT would
      // read as a second Ctrl-C to programs that count them.
      if (signal === 'SIGINT' && inForegroundOfTerminal()) return;
      if (child === undefined) return void (pending = signal);
      passedOn = signal;
      try {
        process.kill(child, signal);
      } catch {
        // It has just ended.
      }
    };
    for (const signal of forwarded) process.on(signal, pass);
    try {
      const result = await context.manager().run(name, command, args, {
        started: (pid) => {
          child = pid;
          if (pending) pass(pending);
        },
      });
      const { exitCode, signal, spawnError } = result;
      if (spawnError !== undefined) {
        context.warn(`cannot run ${command}: ${spawnError}`);
        return 127;
      }
      if (signal && signal !== passedOn) context.warn(`${command} was killed by ${signal}${signal === 'SIGKILL' ? ` (an OOM kill? see cgroup-tool stats ${name})` : ''}`);
      return exitCode ?? 128 + (signal ? constants.signals[signal] : 0);
    } finally {
      for (const signal of forwarded) process.off(signal, pass);
    }
  },
};

/** Whether this process's group is its terminal's foreground group (/proc/self/stat: pgrp and tpgid, proc(5)). */
function inForegroundOfTerminal(): boolean {
  const stat = readText('/proc/self/stat') ?? '';
  const [, , pgrp, , , tpgid] = stat.slice(stat.lastIndexOf(')') + 1).trim().split(/\s+/).map(Number);
  return tpgid !== undefined && tpgid > 0 && tpgid === pgrp;
}
