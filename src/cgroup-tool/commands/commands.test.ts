import { describe, expect, it } from 'vitest';
import type { CgroupManager, CgroupStats, Limit } from '../../cgroup/index.js';
import { prepareCommand } from '../../command/index.js';
import { cgroupTool } from '../program.js';

// Each command as `cgroup-tool` reads it (operands checked first), run against a stand-in manager that records
// what it was asked; the live tests (test/cgroup-scenarios.ts) run the same commands on the kernel.
type Call = [string, ...unknown[]];

const stats: CgroupStats = {
  name: 'isolab/lab',
  version: 'v1',
  processes: [10, 11],
  memory: { current: 3 * 2 ** 20, peak: 4 * 2 ** 20, max: 50 * 2 ** 20, events: { oom_kill: 1 } },
  cpu: { usageUsec: 1_500_000, periods: 10, throttled: 4, throttledUsec: 250_000, max: '50000 100000', weight: null },
  pids: { current: 2, max: 20, events: { max: 3 } },
  pressure: null,
};

function fakeManager(calls: Call[]): CgroupManager {
  const manager = {
    create: (name: string, controllers?: readonly string[]) => {
      calls.push(['create', name, controllers]);
      return { name, made: name === 'isolab/old' ? [] : [name], unavailable: [{ controller: 'io', reason: 'not enabled in isolab' }] };
    },
    delete: async (name: string, options: unknown) => (calls.push(['delete', name, options]), [`${name}/a`, name]),
    attach: (name: string, pid: number) => void calls.push(['attach', name, pid]),
    set: (name: string, limits: Limit[], options: { force?: boolean }) => void calls.push(['set', name, limits, options.force]),
    stats: (name: string) => ({ ...stats, name }),
    kill: async (name: string, options: unknown) => void calls.push(['kill', name, options]),
    tree: (name: string) => ({ name, processes: 1, children: [{ name: `${name}/a`, processes: 2, children: [] }, { name: `${name}/b`, processes: 0, children: [] }] }),
    children: (name: string) => [`${name}/a`, `${name}/b`].map((child) => child.replace(/^\//, '')),
    watch: async (_name: string, onChange: (change: object) => void) => {
      onChange({ at: '12:00:00', counter: 'oom_kill', from: 0, to: 1 });
      return 'removed' as const;
    },
  };
  return manager as unknown as CgroupManager;
}

async function tool(...argv: string[]) {
  const calls: Call[] = [];
  const output: string[] = [];
  const warnings: string[] = [];
  const { command, invocation } = prepareCommand(cgroupTool, argv);
  const manager = fakeManager(calls);
  const code = await command.run({ ...invocation, manager: () => manager, out: (text) => output.push(text), warn: (text) => warnings.push(text) });
  return { code, output: output.join('\n'), warnings, calls };
}

const usage = (message: string) => expect.objectContaining({ exitCode: 2, message });

describe('cgroup-tool commands read their operands', () => {
  it.each([
    [['create'], 'missing cgroup name'],
    [['create', 'a', 'b'], 'unexpected argument "b"'],
    [['delete'], 'missing cgroup name'],
    [['rm', 'a', 'b'], 'unexpected argument "b"'],
    [['attach', 'a'], 'missing process id'],
    [['attach', 'a', '1', '2'], 'unexpected argument "2"'],
    [['run'], 'missing cgroup name'],
    [['exec', 'a', 'sh'], 'unexpected argument "sh"'],
    [['set', 'a'], 'missing a limit to set'],
    [['memory-max', 'a'], 'missing value'],
    [['cpu-max', 'a', '50%', 'x'], 'unexpected argument "x"'],
    [['pids-max'], 'missing cgroup name'],
    [['io-max', 'a'], 'missing device'],
    [['stats'], 'missing cgroup name'],
    [['ls', 'a', 'b'], 'unexpected argument "b"'],
    [['tree', 'a', 'b'], 'unexpected argument "b"'],
    [['kill'], 'missing cgroup name'],
    [['events', 'a', 'b'], 'unexpected argument "b"'],
  ])('%j: %s', (argv, message) => {
    expect(() => prepareCommand(cgroupTool, argv)).toThrow(usage(message));
  });

  it('has one file per command, each in the overview', () => {
    expect(cgroupTool.commands.map((command) => command.name)).toEqual([
      'create', 'delete', 'attach', 'run', 'set', 'memory-max', 'cpu-max', 'pids-max', 'io-max', 'stats', 'ls', 'tree', 'kill', 'events',
    ]);
    for (const command of cgroupTool.commands) expect(cgroupTool.overview()).toContain(`  ${command.usage}`);
  });
});

describe('cgroup-tool commands', () => {
  it('create: the controllers asked for, what could not be enabled, and whether it was there', async () => {
    const made = await tool('create', 'isolab/lab', '--controllers', 'memory, pids,');
    expect(made).toMatchObject({ code: 0, output: 'created isolab/lab', warnings: ['io: not enabled in isolab'], calls: [['create', 'isolab/lab', ['memory', 'pids']]] });
    expect((await tool('create', 'isolab/old')).output).toBe('isolab/old already exists');
  });

  it('delete (rm): --kill and --force go to the manager', async () => {
    const result = await tool('rm', 'isolab/lab', '--kill');
    expect(result).toMatchObject({ output: 'deleted isolab/lab (2 directories)', calls: [['delete', 'isolab/lab', { kill: true, force: false }]] });
  });

  it('attach: a process id, or a usage error', async () => {
    expect(await tool('attach', 'isolab/lab', '4242')).toMatchObject({ output: 'moved 4242 into isolab/lab', calls: [['attach', 'isolab/lab', 4242]] });
    await expect(tool('attach', 'isolab/lab', 'abc')).rejects.toThrow(usage('"abc" is not a process id'));
  });

  it('run (exec): the command after --, or a usage error', async () => {
    await expect(tool('run', 'isolab/lab')).rejects.toThrow(usage('missing the command to run'));
    await expect(tool('exec', 'isolab/lab', '--')).rejects.toThrow(usage('missing the command to run'));
  });

  it('set: each key=value, said back as the kernel will hold it', async () => {
    const result = await tool('set', 'isolab/lab', 'memory.max=50M', 'pids.max=20', 'cpu.max=50%', '--force');
    expect(result.output).toBe('isolab/lab: memory.max = 50.0 MiB\nisolab/lab: pids.max = 20\nisolab/lab: cpu.max = 50000 100000 (50% of one CPU)');
    expect(result.calls).toEqual([['set', 'isolab/lab', expect.any(Array), true]]);
    await expect(tool('set', 'isolab/lab', 'memory.max')).rejects.toThrow(usage('"memory.max" is not key=value'));
  });

  it('memory-max, cpu-max, pids-max: one limit each; a negative value is refused as a value', async () => {
    expect((await tool('memory-max', 'isolab/lab', 'max')).output).toBe('isolab/lab: memory.max = max');
    expect((await tool('cpu-max', 'isolab/lab', '0.5')).output).toBe('isolab/lab: cpu.max = 50000 100000 (50% of one CPU)');
    expect((await tool('pids-max', 'isolab/lab', '20')).calls).toEqual([['set', 'isolab/lab', [{ key: 'pids.max', pids: 20 }], false]]);
    await expect(tool('pids-max', 'isolab/lab', '-1')).rejects.toThrow(usage('pids.max: "-1" is not a valid value'));
  });

  it('io-max: the device and its limits', async () => {
    expect((await tool('io-max', 'isolab/lab', '7:0', 'wbps=1M', 'riops=100')).output).toBe('isolab/lab: io.max = 7:0 wbps=1048576 riops=100');
  });

  it('stats: text or --json', async () => {
    const text = (await tool('stats', 'isolab/lab')).output;
    expect(text).toContain('isolab/lab (cgroup v1): 2 processes');
    expect(text).toContain('memory  3.0 MiB used, peak 4.0 MiB, limit 50.0 MiB');
    expect(text).toContain('throttled in 4 of 10 periods (0.25 s)');
    expect(text).toContain('pids    2 of 20, refused forks: 3');
    expect(JSON.parse((await tool('stats', 'isolab/lab', '--json')).output)).toEqual({ ...stats, name: 'isolab/lab' });
  });

  it('ls and tree: the root by default, text or --json', async () => {
    expect((await tool('ls')).output).toBe('a\nb');
    expect(JSON.parse((await tool('ls', 'isolab', '--json')).output)).toEqual(['isolab/a', 'isolab/b']);
    expect((await tool('tree', 'isolab')).output).toBe('isolab  (1 process)\n├── a  (2 processes)\n└── b');
  });

  it('kill: how many processes there were', async () => {
    expect(await tool('kill', 'isolab/lab', '--force')).toMatchObject({ output: 'killed the processes of isolab/lab (3 before)', calls: [['kill', 'isolab/lab', { force: true }]] });
  });

  it('events: each change as it comes, and the end when the cgroup goes', async () => {
    const result = await tool('events', 'isolab/lab');
    expect(result).toMatchObject({ output: '12:00:00  oom_kill 0 → 1', warnings: ['watching isolab/lab; Ctrl-C stops', 'isolab/lab was removed'] });
    expect(JSON.parse((await tool('events', 'isolab/lab', '--json')).output)).toEqual({ at: '12:00:00', counter: 'oom_kill', from: 0, to: 1 });
  });
});
