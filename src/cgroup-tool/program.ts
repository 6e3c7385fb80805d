import { CgroupManager } from '../cgroup/index.js';
import { commandTable, err, out, type Program } from '../command/index.js';
import { isolabVersion } from '../system/index.js';
import { toolCommands } from './commands/index.js';
import { toolOptions, type ToolContext } from './tool.js';

/** The `cgroup-tool` binary: cgroups on the live kernel. Node built-ins only, for a start-up close to Node's own. */
export const cgroupTool: Program<typeof toolOptions, ToolContext> = {
  name: 'cgroup-tool',
  version: isolabVersion,
  options: toolOptions,
  commands: toolCommands,
  overview,
  context(invocation) {
    let manager: CgroupManager | undefined;
    return { ...invocation, manager: () => (manager ??= new CgroupManager()), out, warn: (text) => err(`cgroup-tool: ${text}`) };
  },
  errorLine: (message) => `cgroup-tool: ${message}`,
};

function overview(): string {
  return [
    `cgroup-tool ${isolabVersion()}: cgroups on the live kernel (v2, or v1 on legacy and hybrid hosts)`,
    '',
    'Usage: cgroup-tool <command> [options]',
    '       cgroup-tool help <command>',
    '',
    ...commandTable(toolCommands),
    '',
    'Cgroup names are paths from the cgroup mount root, as with cgcreate: isolab/lab is /sys/fs/cgroup/isolab/lab',
    '(on v1, the same path in each controller hierarchy). Sizes: 50M, 1.5G, max. CPU: 50%, 0.5 CPUs, "quota period".',
    'Exit codes: 0 ok, 2 bad input, 3 refused by the kernel or the environment, 4 internal error.',
  ].join('\n');
}
