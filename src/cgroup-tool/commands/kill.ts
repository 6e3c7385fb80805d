import type { TreeNode } from '../../cgroup/index.js';
import type { ToolCommand } from '../tool.js';

export const kill: ToolCommand = {
  name: 'kill',
  usage: 'kill <cgroup> [--force]',
  operands: 'cgroup name',
  summary: 'kill every process in the cgroup and below it (cgroup.kill, or freeze–signal–thaw)',
  example: 'cgroup-tool kill isolab/lab',
  async run(context) {
    const [name] = context.positionals as [string];
    const manager = context.manager();
    const before = manager.tree(name);
    await manager.kill(name, { force: context.flags.force });
    context.out(`killed the processes of ${name} (${countProcesses(before)} before)`);
    return 0;
  },
};

const countProcesses = (node: TreeNode): number => node.processes + node.children.reduce((sum, child) => sum + countProcesses(child), 0);
