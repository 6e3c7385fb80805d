// cgroup-tool's engine in-process against libcgroup's CLI doing the same work, on this machine's kernel:
// create, three limits, attach a process (and move it back out), delete; N times each. Needs root.
// libcgroup's timed runs stay on node:child_process, not execa: execa's own work per start would be counted
// against libcgroup.
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import { CgroupManager } from '../src/cgroup/index.js';
import { findOnPath } from '../src/env/index.js';

const rounds = Number(process.env.ISOLAB_BENCH_ROUNDS ?? 200);
const manager = new CgroupManager();
const sleeper = execa('sleep', ['600'], { stdio: 'ignore', reject: false });
const pid = sleeper.pid!;
const name = 'isolab/bench';

async function inProcess(): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    manager.create(name);
    manager.set(name, [
      { key: 'memory.max', bytes: 64 * 2 ** 20 },
      { key: 'pids.max', pids: 32 },
      { key: 'cpu.max', quotaUs: 50_000, periodUs: 100_000 },
    ]);
    manager.attach(name, pid);
    manager.attach('/', pid);
    await manager.delete(name);
  }
  return performance.now() - started;
}

function libcgroup(): number | null {
  if (!findOnPath('cgcreate', process.env)) return null;
  const v2 = manager.version === 'v2';
  const controllers = v2 ? 'memory,pids,cpu' : 'memory,pids,cpu,cpuacct';
  const limits = v2
    ? ['-r', 'memory.max=67108864', '-r', 'pids.max=32', '-r', 'cpu.max=50000 100000']
    : ['-r', 'memory.limit_in_bytes=67108864', '-r', 'pids.max=32', '-r', 'cpu.cfs_quota_us=50000'];
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  };
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    run('cgcreate', ['-g', `${controllers}:/${name}`]);
    run('cgset', [...limits, `/${name}`]);
    run('cgclassify', ['-g', `${controllers}:/${name}`, String(pid)]);
    run('cgclassify', ['-g', `${controllers}:/`, String(pid)]);
    run('cgdelete', ['-g', `${controllers}:/${name}`]);
  }
  return performance.now() - started;
}

try {
  const ours = await inProcess();
  const theirs = libcgroup();
  console.log(JSON.stringify({ rounds, version: manager.version, inProcessMs: ours, libcgroupMs: theirs }));
} finally {
  sleeper.kill('SIGKILL');
  await manager.delete(name).catch(() => {});
  if (manager.children('isolab').length === 0) await manager.delete('isolab').catch(() => {});
}
