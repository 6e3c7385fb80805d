// Complete: reads the command line and calls the functions you write in the lesson files.
import { applyBundle, pressureStats } from './bundle.js';
import { cpuStats, setCpuMax } from './cpu.js';
import { ToolError } from './errors.js';
import { attachProcess, createCgroup, deleteCgroup } from './lifecycle.js';
import { memoryStats, setMemoryMax } from './memory.js';
import { pidsStats, setPidsMax } from './pids.js';

const usage = `usage: my-cgroup-tool <command> <cgroup> [arguments]
  create <cgroup>               make it and its parents, with memory, cpu and pids enabled for it
  attach <cgroup> <pid>         move a running process into it
  delete <cgroup>               remove it (it must have no processes)
  memory-max <cgroup> <size>    50M, 1.5G, max
  cpu-max <cgroup> <share>      50%, 0.5 (of one CPU), max
  pids-max <cgroup> <count>     20, max
  bundle <cgroup> key=value…    memory.max=64M cpu.max=50% pids.max=20, all at once
  stats <cgroup>                usage, limits and events, as JSON`;

async function run(argv: string[]): Promise<void> {
  const [command, name, ...rest] = argv;
  if (!command || !name) throw new ToolError(usage, 2);
  switch (command) {
    case 'create':
      return createCgroup(name);
    case 'attach':
      return attachProcess(name, Number(rest[0]));
    case 'delete':
      return deleteCgroup(name);
    case 'memory-max':
      return setMemoryMax(name, rest[0] ?? '');
    case 'cpu-max':
      return setCpuMax(name, rest[0] ?? '');
    case 'pids-max':
      return setPidsMax(name, rest[0] ?? '');
    case 'bundle':
      return applyBundle(name, rest);
    case 'stats': {
      // Each part is optional until its lesson: a part that is not written yet is left out.
      const parts: Record<string, unknown> = {};
      for (const [key, read] of [['memory', memoryStats], ['cpu', cpuStats], ['pids', pidsStats], ['pressure', pressureStats]] as const) {
        try {
          parts[key] = read(name);
        } catch (error) {
          if (!(error instanceof Error && error.message.startsWith('TODO'))) throw error;
        }
      }
      console.log(JSON.stringify(parts, null, 2));
      return;
    }
    default:
      throw new ToolError(`unknown command "${command}"\n${usage}`, 2);
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`my-cgroup-tool: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof ToolError ? error.exitCode : 1;
});
