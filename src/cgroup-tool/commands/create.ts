import type { ToolCommand } from '../tool.js';

export const create: ToolCommand = {
  name: 'create',
  usage: 'create <cgroup> [--controllers cpu,memory,pids,io]',
  operands: 'cgroup name',
  summary: 'create a cgroup (and missing parents), enabling the controllers in every ancestor',
  example: 'cgroup-tool create isolab/lab',
  async run(context) {
    const controllers = context.flags.controllers?.split(',').map((controller) => controller.trim()).filter(Boolean);
    const result = context.manager().create(context.positionals[0]!, controllers);
    for (const { controller, reason } of result.unavailable) context.warn(`${controller}: ${reason}`);
    context.out(result.made.length > 0 ? `created ${result.name}` : `${result.name} already exists`);
    return 0;
  },
};
