import type { ToolCommand } from '../tool.js';

export const ls: ToolCommand = {
  name: 'ls',
  usage: 'ls [cgroup] [--json]',
  operands: 'cgroup?',
  summary: 'the child cgroups of a cgroup (the root by default)',
  example: 'cgroup-tool ls isolab',
  async run(context) {
    const children = context.manager().children(context.positionals[0] ?? '');
    context.out(context.flags.json ? JSON.stringify(children) : children.join('\n'));
    return 0;
  },
};
