import type { TreeNode } from '../../cgroup/index.js';
import type { ToolCommand } from '../tool.js';

export const tree: ToolCommand = {
  name: 'tree',
  usage: 'tree [cgroup] [--json]',
  operands: 'cgroup?',
  summary: 'the cgroup tree below a cgroup, with process counts',
  example: 'cgroup-tool tree isolab',
  async run(context) {
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
