import type { ToolCommand } from '../tool.js';

export const events: ToolCommand = {
  name: 'events',
  usage: 'events <cgroup> [--json]',
  operands: 'cgroup name',
  summary: 'print OOM kills, refused forks and populated changes as they happen (Ctrl-C stops)',
  example: 'cgroup-tool events isolab/lab',
  async run(context) {
    const [name] = context.positionals as [string];
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      if (!context.flags.json) context.warn(`watching ${name}; Ctrl-C stops`);
      const ended = await context.manager().watch(
        name,
        (change) => context.out(context.flags.json ? JSON.stringify(change) : `${change.at}  ${change.counter} ${change.from} → ${change.to}`),
        controller.signal,
      );
      if (ended === 'removed') context.warn(`${name} was removed`);
      return 0;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
