/**
 * 4.4 Runbook: a cgroup that will not delete. Setup leaves isolab/rb4 with a child isolab/rb4/job that holds a
 * marked process (isolab-rb4-worker), so `rmdir isolab/rb4` fails with EBUSY, plus a leftover network
 * namespace isolab-rb4. On v1 the cgroup exists once per hierarchy; the checks look in every mounted one.
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CgroupManager } from '../../src/cgroup/index.js';
import { errnoCode } from '../../src/errors/index.js';
import { listNames, pathExists, readMountInfo, readText, readWords, type SystemRoot } from '../../src/system/index.js';
import { defineChecker, type CheckContext, type CheckOutcome } from '../../src/verify/index.js';

const cgroupName = 'isolab/rb4';
const jobName = 'isolab/rb4/job';
const workerName = 'isolab-rb4-worker';
const netnsName = 'isolab-rb4';

interface Hierarchy {
  /** The mount point as a learner types it. */
  shown: string;
  /** The same on disk. */
  dir: string;
}

function hierarchies(system: SystemRoot): Hierarchy[] {
  const seen = new Set<string>();
  const result: Hierarchy[] = [];
  for (const mount of readMountInfo(system.proc)) {
    if (mount.fsType !== 'cgroup' && mount.fsType !== 'cgroup2') continue;
    if (seen.has(mount.mountPoint)) continue;
    seen.add(mount.mountPoint);
    result.push({ shown: mount.mountPoint, dir: join(system.root, mount.mountPoint) });
  }
  return result;
}

/** Every directory of isolab/rb4 and below, deepest first, in every hierarchy. */
function rb4Dirs(system: SystemRoot): Array<{ shown: string; dir: string }> {
  const found: Array<{ shown: string; dir: string }> = [];
  const walk = (shown: string, dir: string) => {
    for (const entry of safeDirs(dir)) walk(`${shown}/${entry}`, join(dir, entry));
    found.push({ shown, dir });
  };
  for (const h of hierarchies(system)) {
    const dir = join(h.dir, cgroupName);
    if (pathExists(join(dir, 'cgroup.procs'))) walk(`${h.shown}/${cgroupName}`, dir);
  }
  return found;
}

function safeDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return [];
  }
}

function findWorkers(system: SystemRoot): number[] {
  return listNames(system.proc)
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => readText(join(system.proc, pid, 'cmdline'))?.split('\0')[0] === workerName)
    .map(Number);
}

function checkCgroupGone(context: CheckContext): CheckOutcome {
  const dirs = rb4Dirs(context.system);
  if (dirs.length === 0) return { pass: true, message: `no ${cgroupName} in any mounted cgroup hierarchy`, observed: { directories: [] } };
  const tops = dirs.filter((entry) => entry.shown.endsWith(`/${cgroupName}`)).map((entry) => entry.shown);
  const children = dirs.filter((entry) => !entry.shown.endsWith(`/${cgroupName}`)).map((entry) => entry.shown);
  const populated = dirs
    .map((entry) => ({ ...entry, pids: readWords(join(entry.dir, 'cgroup.procs')) ?? [] }))
    .filter((entry) => entry.pids.length > 0);
  const observed = { directories: dirs.map((entry) => entry.shown), populated: populated.map((entry) => `${entry.shown}: ${entry.pids.join(' ')}`) };
  const message = `${cgroupName} is still there: ${tops.join(', ')}${children.length > 0 ? ` (with ${children.length} child cgroup${children.length === 1 ? '' : 's'})` : ''}`;
  let hint: string;
  if (populated.length > 0) {
    const first = populated[0]!;
    hint = `${first.shown}/cgroup.procs lists ${first.pids.join(' ')}: a cgroup with processes cannot be removed (rmdir says Device or resource busy). Kill ${first.pids.length === 1 ? 'it' : 'them'} (kill ${first.pids.join(' ')}), then rmdir the children before their parent.`;
  } else if (children.length > 0) {
    hint = `No process is left, but ${children[0]} still exists: rmdir removes only an empty cgroup, so remove the children first (rmdir ${children.join(' ')}), then ${tops.join(' ')}.`;
  } else {
    hint = `Nothing runs in it any more: rmdir ${tops.join(' ')}${tops.length > 1 ? ' (on cgroup v1 the same cgroup exists once per hierarchy: remove each)' : ''}.`;
  }
  return { pass: false, message, observed, hint };
}

function checkWorkerGone(context: CheckContext): CheckOutcome {
  const workers = findWorkers(context.system);
  if (workers.length === 0) return { pass: true, message: `no ${workerName} process is running`, observed: { pids: [] } };
  return {
    pass: false,
    message: `${workerName} is still running: pid ${workers.join(', ')}`,
    observed: { pids: workers },
    hint: `Find it by its name (pgrep -af ${workerName}) or by the cgroup that holds it, and end it: kill ${workers.join(' ')}`,
  };
}

function checkNetnsGone(context: CheckContext): CheckOutcome {
  const names = safeList(join(context.system.root, 'run/netns'));
  const left = names.filter((name) => name.startsWith('isolab-'));
  if (!names.includes(netnsName)) {
    return { pass: true, message: `no network namespace ${netnsName} in /run/netns`, observed: { labNetns: left } };
  }
  return {
    pass: false,
    message: `the network namespace ${netnsName} is still there (/run/netns/${netnsName})`,
    observed: { labNetns: left },
    hint: `ip netns list shows it; remove it with ip netns delete ${netnsName}.`,
  };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

async function run(context: CheckContext, command: string, args: string[]): Promise<void> {
  const result = await context.exec(command, args, { timeoutMs: 15_000 });
  if (result.exitCode !== 0) throw new Error(`${command} ${args.join(' ')}: ${(result.stderr || result.spawnError || `exit ${result.exitCode}`).trim()}`);
}

async function removeLab(context: CheckContext): Promise<void> {
  const { system } = context;
  for (const pid of findWorkers(system)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  const manager = new CgroupManager(system);
  if (manager.backend.exists(cgroupName)) await manager.delete(cgroupName, { kill: true });
  // Leftovers a learner's half-done repair may leave in a hierarchy the manager does not use.
  for (const entry of rb4Dirs(system)) {
    try {
      rmdirSync(entry.dir);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
    }
  }
  for (let attempt = 0; attempt < 40 && findWorkers(system).length > 0; attempt++) await sleep(25);
  for (const h of hierarchies(system)) {
    try {
      rmdirSync(join(h.dir, 'isolab'));
    } catch (error) {
      // Another lesson's cgroups (EBUSY), or no isolab/ at all: not ours to remove.
      if (!['EBUSY', 'ENOENT', 'ENOTEMPTY'].includes(errnoCode(error) ?? '')) throw error;
    }
  }
  if (pathExists(join(system.root, 'run/netns', netnsName))) await run(context, 'ip', ['netns', 'delete', netnsName]);
}

export default defineChecker({
  checks: [
    { id: 'cgroup-removed', title: `${cgroupName} is gone from every cgroup hierarchy`, tag: 'observe', run: async (context) => checkCgroupGone(context) },
    { id: 'worker-gone', title: `the process ${workerName} is no longer running`, tag: 'observe', run: async (context) => checkWorkerGone(context) },
    { id: 'netns-removed', title: `the network namespace ${netnsName} is gone`, tag: 'observe', run: async (context) => checkNetnsGone(context) },
  ],

  async setup(context) {
    await removeLab(context);
    const manager = new CgroupManager(context.system);
    manager.create(cgroupName);
    manager.create(jobName);
    const child = spawn('sleep', ['2147483647'], { argv0: workerName, detached: true, stdio: 'ignore' });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid!));
      child.once('error', reject);
    });
    child.unref();
    try {
      manager.attach(jobName, pid);
    } catch (error) {
      process.kill(pid, 'SIGKILL');
      throw error;
    }
    await run(context, 'ip', ['netns', 'add', netnsName]);
  },

  async cleanup(context) {
    await removeLab(context);
  },

  // What the lesson has the learner type: find the pids in every hierarchy, kill them, remove the cgroups
  // deepest first (retrying while the killed process exits), remove the netns.
  async solution(context) {
    const script = [
      `pids=$(find /sys/fs/cgroup -path '*/${cgroupName}*' -name cgroup.procs -exec cat {} + | sort -u)`,
      '[ -z "$pids" ] || kill $pids',
      `for try in 1 2 3 4 5 6 7 8 9 10; do find /sys/fs/cgroup -depth -type d -path '*/${cgroupName}*' -exec rmdir {} + 2>/dev/null; [ -z "$(find /sys/fs/cgroup -type d -path '*/${cgroupName}')" ] && break; sleep 0.2; done`,
      `ip netns delete ${netnsName}`,
    ].join('\n');
    await run(context, 'sh', ['-c', script]);
  },
});
