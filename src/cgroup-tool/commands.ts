import { CgroupManager, formatBytes, parseIoMax, parseLimit, type CgroupStats, type Limit, type TreeNode } from '../cgroup/index.js';
import { usageError } from '../errors/index.js';

export interface ToolContext {
  positionals: string[];
  /** Everything after `--` (run's command). */
  rest: string[];
  flags: { json: boolean; force: boolean; kill: boolean; controllers?: string };
  manager(): CgroupManager;
  out(text: string): void;
  warn(text: string): void;
}

export interface ToolCommand {
  name: string;
  aliases?: string[];
  usage: string;
  summary: string;
  example: string;
  run(context: ToolContext): Promise<number>;
}

function arg(context: ToolContext, index: number, what: string, command: ToolCommand): string {
  const value = context.positionals[index];
  if (value === undefined) throw usageError(`missing ${what}`, `Usage: cgroup-tool ${command.usage}\nExample: ${command.example}`);
  return value;
}

function noMore(context: ToolContext, count: number, command: ToolCommand): void {
  if (context.positionals.length > count) throw usageError(`unexpected argument "${context.positionals[count]}"`, `Usage: cgroup-tool ${command.usage}`);
}

const create: ToolCommand = {
  name: 'create',
  usage: 'create <cgroup> [--controllers cpu,memory,pids,io]',
  summary: 'create a cgroup (and missing parents), enabling the controllers in every ancestor',
  example: 'cgroup-tool create isolab/lab',
  async run(context) {
    const name = arg(context, 0, 'cgroup name', create);
    noMore(context, 1, create);
    const controllers = context.flags.controllers?.split(',').map((controller) => controller.trim()).filter(Boolean);
    const result = context.manager().create(name, controllers);
    for (const { controller, reason } of result.unavailable) context.warn(`${controller}: ${reason}`);
    context.out(result.made.length > 0 ? `created ${result.name}` : `${result.name} already exists`);
    return 0;
  },
};

const remove: ToolCommand = {
  name: 'delete',
  aliases: ['rm'],
  usage: 'delete <cgroup> [--kill] [--force]',
  summary: 'remove a cgroup and its children (--kill kills their processes first)',
  example: 'cgroup-tool delete isolab/lab --kill',
  async run(context) {
    const name = arg(context, 0, 'cgroup name', remove);
    noMore(context, 1, remove);
    const removed = await context.manager().delete(name, { kill: context.flags.kill, force: context.flags.force });
    context.out(`deleted ${name} (${removed.length} director${removed.length === 1 ? 'y' : 'ies'})`);
    return 0;
  },
};

const attach: ToolCommand = {
  name: 'attach',
  usage: 'attach <cgroup> <pid>',
  summary: 'move a running process (all its threads) into the cgroup',
  example: 'cgroup-tool attach isolab/lab 4242',
  async run(context) {
    const name = arg(context, 0, 'cgroup name', attach);
    const pid = arg(context, 1, 'process id', attach);
    noMore(context, 2, attach);
    if (!/^\d+$/.test(pid)) throw usageError(`"${pid}" is not a process id`, 'Give a positive whole number (see ps or pgrep).');
    context.manager().attach(name, Number(pid));
    context.out(`moved ${pid} into ${name}`);
    return 0;
  },
};

const run: ToolCommand = {
  name: 'run',
  aliases: ['exec'],
  usage: 'run <cgroup> -- <command> [args…]',
  summary: 'run a command inside the cgroup (it joins before it starts: nothing runs outside)',
  example: 'cgroup-tool run isolab/lab -- stress-ng --vm 1 --vm-bytes 100M',
  async run(context) {
    const name = arg(context, 0, 'cgroup name', run);
    noMore(context, 1, run);
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

const set: ToolCommand = {
  name: 'set',
  usage: 'set <cgroup> <key>=<value>… [--force]',
  summary: 'set limits: memory.max, memory.high, memory.low, memory.swap.max, cpu.max, cpu.weight, pids.max, io.max',
  example: 'cgroup-tool set isolab/lab memory.max=50M pids.max=20 cpu.max=50%',
  async run(context) {
    const name = arg(context, 0, 'cgroup name', set);
    const assignments = context.positionals.slice(1);
    if (assignments.length === 0) throw usageError('missing a limit to set', `Usage: cgroup-tool ${set.usage}\nExample: ${set.example}`);
    const limits = assignments.map((assignment) => {
      const equals = assignment.indexOf('=');
      if (equals < 1) throw usageError(`"${assignment}" is not key=value`, `Example: ${set.example}`);
      return parseLimit(assignment.slice(0, equals), assignment.slice(equals + 1));
    });
    return applyLimits(context, name, limits);
  },
};

function shorthand(name: string, key: Limit['key'], example: string, valueHelp: string): ToolCommand {
  const command: ToolCommand = {
    name,
    usage: `${name} <cgroup> <value> [--force]`,
    summary: `set ${key} (${valueHelp})`,
    example,
    async run(context) {
      const cgroup = arg(context, 0, 'cgroup name', command);
      const value = arg(context, 1, 'value', command);
      noMore(context, 2, command);
      return applyLimits(context, cgroup, [parseLimit(key, value)]);
    },
  };
  return command;
}

const ioMax: ToolCommand = {
  name: 'io-max',
  usage: 'io-max <cgroup> <major:minor> rbps=… wbps=… riops=… wiops=… [--force]',
  summary: 'limit I/O on one block device (lsblk shows major:minor)',
  example: 'cgroup-tool io-max isolab/lab 7:0 wbps=1M',
  async run(context) {
    const cgroup = arg(context, 0, 'cgroup name', ioMax);
    arg(context, 1, 'device', ioMax);
    return applyLimits(context, cgroup, [parseIoMax(context.positionals.slice(1).join(' '))]);
  },
};

async function applyLimits(context: ToolContext, name: string, limits: Limit[]): Promise<number> {
  context.manager().set(name, limits, { force: context.flags.force, warn: context.warn });
  for (const limit of limits) context.out(`${name}: ${describeLimit(limit)}`);
  return 0;
}

function describeLimit(limit: Limit): string {
  switch (limit.key) {
    case 'cpu.max':
      return limit.quotaUs === 'max' ? 'cpu.max = max (no limit)' : `cpu.max = ${limit.quotaUs} ${limit.periodUs} (${Math.round((limit.quotaUs / limit.periodUs) * 100)}% of one CPU)`;
    case 'cpu.weight':
      return `cpu.weight = ${limit.weight}`;
    case 'pids.max':
      return `pids.max = ${limit.pids}`;
    case 'io.max':
      return `io.max = ${limit.device} ${(['rbps', 'wbps', 'riops', 'wiops'] as const).filter((k) => limit[k] !== undefined).map((k) => `${k}=${limit[k]}`).join(' ')}`;
    default:
      return `${limit.key} = ${formatBytes(limit.bytes)}`;
  }
}

const stats: ToolCommand = {
  name: 'stats',
  usage: 'stats <cgroup> [--json]',
  summary: 'usage and limits: memory (current, peak, OOM kills), cpu (throttling), pids, pressure',
  example: 'cgroup-tool stats isolab/lab --json',
  async run(context) {
    const name = arg(context, 0, 'cgroup name', stats);
    noMore(context, 1, stats);
    const result = context.manager().stats(name);
    context.out(context.flags.json ? JSON.stringify(result, null, 2) : formatStats(result));
    return 0;
  },
};

export function formatStats(stats: CgroupStats): string {
  const lines = [`${stats.name} (cgroup ${stats.version}): ${stats.processes.length} process${stats.processes.length === 1 ? '' : 'es'}`];
  const { memory, cpu, pids, pressure } = stats;
  if (memory) {
    lines.push(`  memory  ${formatBytes(memory.current)} used, peak ${formatBytes(memory.peak)}, limit ${formatBytes(memory.max)}`);
    if (Object.keys(memory.events).length > 0) lines.push(`          events: ${Object.entries(memory.events).map(([key, value]) => `${key} ${value}`).join(', ')}`);
  }
  if (cpu) {
    const usage = cpu.usageUsec === null ? '-' : `${(cpu.usageUsec / 1e6).toFixed(2)} s`;
    lines.push(`  cpu     ${usage} used, limit ${cpu.max ?? '-'}, weight ${cpu.weight ?? '-'}`);
    if (cpu.periods !== null) lines.push(`          throttled in ${cpu.throttled ?? 0} of ${cpu.periods} periods (${((cpu.throttledUsec ?? 0) / 1e6).toFixed(2)} s)`);
  }
  if (pids) lines.push(`  pids    ${pids.current ?? '-'} of ${pids.max ?? '-'}${pids.events.max ? `, refused forks: ${pids.events.max}` : ''}`);
  if (pressure) lines.push(`  pressure (some, avg10): ${Object.entries(pressure).map(([resource, value]) => `${resource} ${value.some10}%`).join(', ')}`);
  return lines.join('\n');
}

const list: ToolCommand = {
  name: 'ls',
  usage: 'ls [cgroup] [--json]',
  summary: 'the child cgroups of a cgroup (the root by default)',
  example: 'cgroup-tool ls isolab',
  async run(context) {
    noMore(context, 1, list);
    const children = context.manager().children(context.positionals[0] ?? '');
    context.out(context.flags.json ? JSON.stringify(children) : children.join('\n'));
    return 0;
  },
};

const tree: ToolCommand = {
  name: 'tree',
  usage: 'tree [cgroup] [--json]',
  summary: 'the cgroup tree below a cgroup, with process counts',
  example: 'cgroup-tool tree isolab',
  async run(context) {
    noMore(context, 1, tree);
    const root = context.manager().tree(context.positionals[0] ?? '');
    context.out(context.flags.json ? JSON.stringify(root, null, 2) : formatTree(root));
    return 0;
  },
};

function formatTree(node: TreeNode, prefix = '', last = true, top = true): string {
  const label = `${top ? node.name : node.name.split('/').pop()}${node.processes ? `  (${node.processes} process${node.processes === 1 ? '' : 'es'})` : ''}`;
  const line = top ? label : `${prefix}${last ? '└── ' : '├── '}${label}`;
  const childPrefix = top ? '' : `${prefix}${last ? '    ' : '│   '}`;
  return [line, ...node.children.map((child, index) => formatTree(child, childPrefix, index === node.children.length - 1, false))].join('\n');
}

const kill: ToolCommand = {
  name: 'kill',
  usage: 'kill <cgroup> [--force]',
  summary: 'kill every process in the cgroup and below it (cgroup.kill, or freeze–signal–thaw)',
  example: 'cgroup-tool kill isolab/lab',
  async run(context) {
    const name = arg(context, 0, 'cgroup name', kill);
    noMore(context, 1, kill);
    const manager = context.manager();
    const before = manager.tree(name);
    await manager.kill(name, { force: context.flags.force });
    context.out(`killed the processes of ${name} (${countProcesses(before)} before)`);
    return 0;
  },
};

const countProcesses = (node: TreeNode): number => node.processes + node.children.reduce((sum, child) => sum + countProcesses(child), 0);

const events: ToolCommand = {
  name: 'events',
  usage: 'events <cgroup> [--json]',
  summary: 'print OOM kills, refused forks and populated changes as they happen (Ctrl-C stops)',
  example: 'cgroup-tool events isolab/lab',
  async run(context) {
    const name = arg(context, 0, 'cgroup name', events);
    noMore(context, 1, events);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (!context.flags.json) context.warn(`watching ${name}; Ctrl-C stops`);
    const ended = await context.manager().watch(
      name,
      (change) => context.out(context.flags.json ? JSON.stringify(change) : `${change.at}  ${change.counter} ${change.from} → ${change.to}`),
      controller.signal,
    );
    if (ended === 'removed') context.warn(`${name} was removed`);
    return 0;
  },
};

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}

export const toolCommands: readonly ToolCommand[] = [
  create,
  remove,
  attach,
  run,
  set,
  shorthand('memory-max', 'memory.max', 'cgroup-tool memory-max isolab/lab 50M', '50M, 1.5G, max'),
  shorthand('cpu-max', 'cpu.max', 'cgroup-tool cpu-max isolab/lab 50%', '50%, 0.5 CPUs, "20000 100000", max'),
  shorthand('pids-max', 'pids.max', 'cgroup-tool pids-max isolab/lab 20', 'a number of processes, max'),
  ioMax,
  stats,
  list,
  tree,
  kill,
  events,
];
