import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeDirectory, writeControlFile } from '../cgroup/index.js';
import { findOnPath } from '../env/index.js';
import { liveSystem, readMountInfo, readText, statusField, type SystemRoot } from '../system/index.js';
import { ProcessGroups } from '../exec/index.js';
import { labBpfPins, removeBpfPinPath } from './bpf-pins.js';
import { killProcesses } from './kill.js';
import { labProcesses } from './lab-processes.js';
import { compiledProgramOwner, isLabName, isLabPath, labCgroupDir, labDirs } from './names.js';

export interface LabItem {
  kind: 'process' | 'cgroup' | 'netns' | 'link' | 'mount' | 'loop' | 'container' | 'bpf-pin' | 'compiled';
  name: string;
}

export interface CleanReport {
  removed: LabItem[];
  failed: Array<LabItem & { reason: string }>;
}

/** Finds isolab-named lab state on this machine (read-only). */
export async function findLabState(system: SystemRoot): Promise<LabItem[]> {
  const groups = new ProcessGroups();
  const items: LabItem[] = [
    ...labProcesses(system).map((entry) => ({ kind: 'process' as const, name: processItemName(entry) })),
    ...labCgroups(system).map((name) => ({ kind: 'cgroup' as const, name })),
    ...listDir(join(system.root, 'run/netns')).filter(isLabName).map((name) => ({ kind: 'netns' as const, name })),
    ...listDir(join(system.sys, 'class/net')).filter(isLabName).map((name) => ({ kind: 'link' as const, name })),
    ...labMounts(system).map((name) => ({ kind: 'mount' as const, name })),
    ...(await labLoopDevices(groups, system)).map((name) => ({ kind: 'loop' as const, name })),
    ...(await labContainers(groups, system)).map((name) => ({ kind: 'container' as const, name })),
    ...labBpfPins(system).map((name) => ({ kind: 'bpf-pin' as const, name })),
    ...leftCompiledPrograms(system).map((name) => ({ kind: 'compiled' as const, name })),
  ];
  groups.killAll();
  return items;
}

/**
 * Kills every isolab-marked process (but those in `keep`) and removes every isolab-named cgroup, netns, link,
 * mount, loop device, runc container and BPF pin. Processes and containers go first (they hold namespaces, mounts,
 * cgroups and BPF links open), cgroups last. A kept process inside a lab cgroup dies with the cgroup.
 */
export async function cleanLabState(system: SystemRoot, options: { keep?: ReadonlySet<number> } = {}): Promise<CleanReport> {
  const report: CleanReport = { removed: [], failed: [] };
  const groups = new ProcessGroups();
  const attempt = async (item: LabItem, remove: () => Promise<void> | void) => {
    try {
      await remove();
      report.removed.push(item);
    } catch (error) {
      report.failed.push({ ...item, reason: error instanceof Error ? error.message : String(error) });
    }
  };
  const run = async (command: string, args: string[]) => {
    const result = await groups.exec(command, args, { timeoutMs: 15_000, env: system.env });
    if (result.exitCode !== 0) throw new Error((result.stderr || result.spawnError || `${command} failed`).trim());
  };
  try {
    // Before anything else runs: a marker in the environment is inherited by the children clean starts.
    const marked = labProcesses(system).filter((entry) => !options.keep?.has(entry.pid));
    const running = new Set(await killProcesses(system, marked.map((entry) => entry.pid)));
    for (const entry of marked) {
      const item = { kind: 'process' as const, name: processItemName(entry) };
      if (running.has(entry.pid)) report.failed.push({ ...item, reason: 'still running after SIGKILL' });
      else report.removed.push(item);
    }
    for (const id of await labContainers(groups, system)) {
      await attempt({ kind: 'container', name: id }, () => run('runc', ['delete', '--force', id]));
    }
    // Deepest first, so a mount on top of another comes off first.
    for (const mountPoint of labMounts(system).sort((a, b) => b.length - a.length)) {
      await attempt({ kind: 'mount', name: mountPoint }, () => run('umount', ['-l', mountPoint]));
    }
    for (const device of await labLoopDevices(groups, system)) {
      await attempt({ kind: 'loop', name: device }, () => run('losetup', ['-d', device]));
    }
    for (const name of listDir(join(system.root, 'run/netns')).filter(isLabName)) {
      await attempt({ kind: 'netns', name }, () => run('ip', ['netns', 'delete', name]));
    }
    // Deleting one end of a veth pair removes its peer, so look again before each.
    for (const name of listDir(join(system.sys, 'class/net')).filter(isLabName)) {
      if (!existsSync(join(system.sys, 'class/net', name))) continue;
      await attempt({ kind: 'link', name }, () => run('ip', ['link', 'delete', name]));
    }
    for (const pin of labBpfPins(system)) await attempt({ kind: 'bpf-pin', name: pin }, () => removeBpfPinPath(system, pin));
    for (const dir of labCgroups(system)) await attempt({ kind: 'cgroup', name: dir }, () => removeCgroupTree(dir, system));
    for (const dir of labDirs) if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    for (const dir of leftCompiledPrograms(system)) await attempt({ kind: 'compiled', name: dir }, () => rmSync(dir, { recursive: true, force: true }));
  } finally {
    groups.killAll();
  }
  return report;
}

/**
 * What is gone between two looks at the lab state: found before, not after. `isolab clean` reports these too,
 * since the lesson cleanups it runs first remove much of what it would otherwise remove itself.
 */
export function goneBetween(before: readonly LabItem[], after: readonly LabItem[]): LabItem[] {
  const left = new Set(after.map(itemKey));
  return before.filter((item) => !left.has(itemKey(item)));
}

export function itemKey(item: LabItem): string {
  return `${item.kind} ${item.name}`;
}

/** `1234 isolab-uts` or `1234 ISOLAB_LAB=pid`: the pid and the marker it was found by. */
export function processItemName(entry: { pid: number; marker: string }): string {
  return `${entry.pid} ${entry.marker}`;
}

/**
 * Learner programs compiled by an isolab that is gone (a verify killed with SIGKILL never removes its own): in
 * this process's temporary directory and the machine's /tmp. A running isolab's are left alone.
 */
function leftCompiledPrograms(system: SystemRoot): string[] {
  const places = new Set([tmpdir(), join(system.root, 'tmp')]);
  return [...places].flatMap((place) =>
    listDir(place)
      .filter((name) => {
        const owner = compiledProgramOwner(name);
        return owner !== undefined && !existsSync(join(system.proc, String(owner)));
      })
      .map((name) => join(place, name)),
  );
}

/** The `isolab` directory at the top of every mounted cgroup hierarchy (v1 controllers and v2 alike). */
function labCgroups(system: SystemRoot): string[] {
  const dirs = new Set<string>();
  for (const mount of readMountInfo(system.proc)) {
    if (mount.fsType !== 'cgroup' && mount.fsType !== 'cgroup2') continue;
    const top = join(system.root, mount.mountPoint);
    for (const name of listDir(top)) if (name === labCgroupDir || isLabName(name)) dirs.add(join(top, name));
  }
  return [...dirs];
}

function labMounts(system: SystemRoot): string[] {
  return readMountInfo(system.proc)
    .map((mount) => mount.mountPoint)
    .filter(isLabPath);
}

async function labLoopDevices(groups: ProcessGroups, system: SystemRoot): Promise<string[]> {
  if (!findOnPath('losetup', system.env)) return [];
  const result = await groups.exec('losetup', ['--list', '--noheadings', '--output', 'NAME,BACK-FILE'], {
    timeoutMs: 10_000,
  });
  return result.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([name, file]) => name && file && (isLabPath(file) || file.split('/').some(isLabName)))
    .map(([name]) => name!);
}

async function labContainers(groups: ProcessGroups, system: SystemRoot): Promise<string[]> {
  if (!findOnPath('runc', system.env)) return [];
  const result = await groups.exec('runc', ['list', '--quiet'], { timeoutMs: 10_000 });
  return result.exitCode === 0 ? result.stdout.split('\n').map((id) => id.trim()).filter(isLabName) : [];
}

/**
 * Removes a cgroup subtree children first, killing what runs inside (never the caller), and waiting until the
 * kernel counts each cgroup empty before its rmdir.
 */
export async function removeCgroupTree(dir: string, system: SystemRoot = liveSystem()): Promise<void> {
  for (const child of listDirs(dir)) await removeCgroupTree(join(dir, child), system);
  await killUntilEmpty(dir, system);
  await removeDirectory(dir);
}

/** How long the tasks of a cgroup get to finish exiting after SIGKILL before the clean-up says what is left. */
const emptyTimeoutMs = 10_000;
/** How often a cgroup that is not empty yet is killed again: what moved in after the last kill goes too. */
const killAgainMs = 250;

/**
 * Kills the tasks of the cgroup `dir` (cgroup.kill where the kernel has it, v2 and 5.14+; SIGKILL to each pid
 * otherwise) until the kernel counts the cgroup empty: `populated 0` in cgroup.events on v2 (Documentation/admin-
 * guide/cgroup-v2.rst, "cgroup.events"), no pid in cgroup.procs on v1. rmdir refuses a populated cgroup with
 * EBUSY, and a killed task stays in its cgroup until it has finished exiting, which on a loaded machine takes a
 * while. A process that moves itself in meanwhile (`echo $$ > cgroup.procs`, then exec) is killed on the next round.
 */
async function killUntilEmpty(dir: string, system: SystemRoot): Promise<void> {
  const protectedPids = new Set([process.pid, process.ppid]);
  const deadline = Date.now() + emptyTimeoutMs;
  let lastKill = 0;
  for (;;) {
    const pids = readPids(dir);
    if (!isPopulated(dir, pids)) return;
    if (pids.some((pid) => protectedPids.has(pid))) throw new Error(`${dir} holds isolab itself or its parent shell; move them out first`);
    if (Date.now() >= deadline) throw new Error(`${dir} still holds ${describeTasks(system, pids)} ${emptyTimeoutMs / 1000} s after SIGKILL`);
    if (Date.now() - lastKill >= killAgainMs) {
      killCgroupTasks(dir, pids);
      lastKill = Date.now();
    }
    await sleep(20);
  }
}

/** v2 says whether the cgroup (its subtree included) holds a task; v1 has only the list. */
function isPopulated(dir: string, pids: readonly number[]): boolean {
  const events = readText(join(dir, 'cgroup.events'));
  return events === undefined ? pids.length > 0 : /^populated 1$/m.test(events);
}

function killCgroupTasks(dir: string, pids: readonly number[]): void {
  if (existsSync(join(dir, 'cgroup.kill'))) {
    writeControlFile(join(dir, 'cgroup.kill'), '1');
    return;
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** `pid 812 (sleep, D (disk sleep): waiting in the kernel)`, for the first few tasks: what a clean-up could not remove, and why. */
export function describeTasks(system: SystemRoot, pids: readonly number[]): string {
  if (pids.length === 0) return 'tasks that are still exiting (cgroup.events: populated 1, cgroup.procs empty)';
  const described = pids.slice(0, 5).map((pid) => {
    const name = statusField(system, pid, 'Name');
    const state = statusField(system, pid, 'State');
    if (name === undefined) return `pid ${pid}`;
    // D: uninterruptible sleep; SIGKILL acts only once the kernel call it waits in returns.
    return `pid ${pid} (${name}${state ? `, ${state}${state.startsWith('D') ? ': waiting in the kernel' : ''}` : ''})`;
  });
  return `${described.join(', ')}${pids.length > 5 ? `, and ${pids.length - 5} more` : ''}`;
}

function readPids(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}
