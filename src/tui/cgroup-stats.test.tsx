import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureSystem } from '../system/index.js';
import { cgroupStatsReader } from './cgroup-stats.js';
import { CgroupPanel } from './components/CgroupPanel.js';
import { renderTui, type RenderedTui } from './testing/render-app.js';

/** A machine tree: the mount table and the cgroup files, each `path: content` below the root. */
function machine(mountinfo: string[], files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'isolab-cgroup-'));
  mkdirSync(join(dir, 'proc/self'), { recursive: true });
  writeFileSync(join(dir, 'proc/self/mountinfo'), `${mountinfo.join('\n')}\n`);
  for (const line of mountinfo) mkdirSync(join(dir, line.split(' ')[4]!), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return fixtureSystem(dir);
}

const v2 = () =>
  machine(['31 23 0:27 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw,nsdelegate'], {
    'sys/fs/cgroup/isolab/memory-lab/cgroup.procs': '41\n42\n',
    'sys/fs/cgroup/isolab/memory-lab/memory.current': '12582912\n',
    'sys/fs/cgroup/isolab/memory-lab/memory.max': '67108864\n',
    'sys/fs/cgroup/isolab/memory-lab/cpu.stat': 'usage_usec 100\nnr_periods 20\nnr_throttled 3\nthrottled_usec 500\n',
    'sys/fs/cgroup/isolab/memory-lab/pids.current': '2\n',
    'sys/fs/cgroup/isolab/memory-lab/pids.max': '32\n',
  });

/** A hybrid machine as this project's: the limits live in the v1 hierarchies; the v2 tree has no controllers. */
const hybrid = () =>
  machine(
    [
      '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
      '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
      '33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct',
      '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
      '39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
      '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
    ],
    {
      'sys/fs/cgroup/memory/isolab/memory-lab/cgroup.procs': '41\n',
      'sys/fs/cgroup/memory/isolab/memory-lab/memory.usage_in_bytes': '1048576\n',
      'sys/fs/cgroup/memory/isolab/memory-lab/memory.limit_in_bytes': '67108864\n',
      'sys/fs/cgroup/pids/isolab/memory-lab/cgroup.procs': '41\n',
      'sys/fs/cgroup/pids/isolab/memory-lab/pids.current': '1\n',
      'sys/fs/cgroup/pids/isolab/memory-lab/pids.max': '32\n',
      'sys/fs/cgroup/cpu/isolab/memory-lab/cgroup.procs': '41\n',
      'sys/fs/cgroup/cpu/isolab/memory-lab/cpu.stat': 'nr_periods 5\nnr_throttled 2\nthrottled_time 1000\n',
      'sys/fs/cgroup/unified/cgroup.procs': '1\n',
    },
  );

let screen: RenderedTui | undefined;
afterEach(() => screen?.unmount());

describe('cgroupStatsReader (the CgroupManager, as cgroup-tool stats)', () => {
  it('reads a v2 cgroup from the v2 tree', async () => {
    const reading = await cgroupStatsReader(v2())('isolab/memory-lab');
    expect(reading).toMatchObject({
      state: 'present',
      stats: { version: 'v2', processes: [41, 42], memory: { current: 12582912, max: 67108864 }, cpu: { throttled: 3 }, pids: { current: 2, max: 32 } },
    });
  });

  it('reads the v1 hierarchies on a hybrid machine, not the empty v2 tree', async () => {
    const reading = await cgroupStatsReader(hybrid())('/isolab/memory-lab');
    expect(reading).toMatchObject({
      state: 'present',
      stats: { version: 'v1', processes: [41], memory: { current: 1048576, max: 67108864 }, cpu: { throttled: 2 }, pids: { current: 1, max: 32 } },
    });
  });

  it('says when the cgroup does not exist yet, and when the machine has no cgroup filesystem', async () => {
    expect(await cgroupStatsReader(v2())('isolab/nothing')).toEqual({ state: 'absent' });
    const bare = machine(['26 1 8:2 / / rw,relatime - ext4 /dev/sda2 rw'], {});
    expect(await cgroupStatsReader(bare)('isolab/lab')).toMatchObject({ state: 'unreadable', reason: expect.stringContaining('cgroup filesystem could not be found') });
  });
});

describe('CgroupPanel', () => {
  it.each([
    { machine: 'a v2 machine', system: v2, version: 'v2', memory: '12.0 MiB', throttled: 3, pids: 2 },
    { machine: 'a hybrid machine (its v1 limits)', system: hybrid, version: 'v1', memory: '1.0 MiB', throttled: 2, pids: 1 },
  ])('shows usage against the limits on $machine', async ({ system, version, memory, throttled, pids }) => {
    screen = renderTui(<CgroupPanel path="isolab/memory-lab" reader={cgroupStatsReader(system())} />);
    const frame = await screen.waitFor(`cgroup isolab/memory-lab (${version})`);
    expect(frame).toMatch(new RegExp(`memory +${memory.replace('.', '\\.')} of 64\\.0 MiB`));
    expect(frame).toMatch(new RegExp(`cpu +throttled ${throttled} times`));
    expect(frame).toMatch(new RegExp(`pids +${pids} of 32`));
    expect(frame).not.toContain('not enabled');
  });

  it('says which controller a cgroup lacks instead of showing zeros', async () => {
    // A v2 cgroup whose parent enabled no controllers: cpu.stat is there, but with usage only.
    const system = v2();
    const dir = join(system.root, 'sys/fs/cgroup/isolab/cpu-lab');
    mkdirSync(dir);
    writeFileSync(join(dir, 'cgroup.procs'), '');
    writeFileSync(join(dir, 'cpu.stat'), 'usage_usec 100\n');
    screen = renderTui(<CgroupPanel path="isolab/cpu-lab" reader={cgroupStatsReader(system)} compact />);
    const frame = await screen.waitFor('cgroup isolab/cpu-lab (v2)');
    expect(frame).toContain('memory controller not enabled · cpu controller not enabled · pids controller not enabled');
  });
});
