import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { errnoCode, blockedError } from '../errors/index.js';
import type { CgroupBackend, CgroupStats } from './backend.js';
import { writeControlFile } from './control-file.js';
import { directoryOf } from './names.js';
import { readControl, readKeyed, readLimit, readNumber, readPids } from './read-files.js';
import type { Limit } from './values.js';
import { signal, subdirectories } from './v2.js';

/** v1 hierarchies by controller → mount directory (a hierarchy may carry several, e.g. cpu,cpuacct). */
export type V1Hierarchies = Map<string, string>;

const limitController: Record<Limit['key'], string> = {
  'memory.max': 'memory',
  'memory.high': 'memory',
  'memory.low': 'memory',
  'memory.swap.max': 'memory',
  'cpu.max': 'cpu',
  'cpu.weight': 'cpu',
  'pids.max': 'pids',
  'io.max': 'blkio',
};

/**
 * cgroup v1 (legacy or hybrid): one hierarchy per controller, the same cgroup path in each. Processes move
 * through cgroup.procs, never tasks: writing a multi-threaded pid to tasks moves one thread only
 * (kernel-facts §4, verified here).
 */
export class V1Backend implements CgroupBackend {
  readonly version = 'v1';
  readonly defaultControllers: string[];

  constructor(readonly hierarchies: V1Hierarchies) {
    // freezer is included so kill can freeze before signalling.
    this.defaultControllers = ['cpu', 'cpuacct', 'memory', 'pids', 'blkio', 'freezer'].filter((controller) => hierarchies.has(controller));
  }

  /** Each distinct hierarchy directory once (cpu and cpuacct may share one). */
  private mounts(): string[] {
    return [...new Set(this.hierarchies.values())];
  }

  private dir(controller: string, name: string): string | undefined {
    const mount = this.hierarchies.get(controller);
    return mount === undefined ? undefined : directoryOf(mount, name);
  }

  directories(name: string): string[] {
    return this.mounts().map((mount) => directoryOf(mount, name)).filter((dir) => existsSync(dir));
  }

  exists(name: string): boolean {
    return this.directories(name).length > 0;
  }

  create(name: string, controllers: readonly string[]) {
    const made: string[] = [];
    const unavailable: Array<{ controller: string; reason: string }> = [];
    for (const controller of controllers) {
      const mount = this.hierarchies.get(controller);
      if (mount === undefined) {
        unavailable.push({ controller, reason: `no v1 ${controller} hierarchy is mounted` });
        continue;
      }
      const segments = name.split('/').filter(Boolean);
      for (let depth = 1; depth <= segments.length; depth++) {
        const dir = directoryOf(mount, segments.slice(0, depth).join('/'));
        if (existsSync(dir)) continue;
        mkdirSync(dir);
        made.push(dir);
        // A new cpuset cgroup starts with no CPUs or memory nodes: give it its parent's.
        if (controller === 'cpuset') for (const file of ['cpuset.cpus', 'cpuset.mems']) writeControlFile(join(dir, file), (readControl(join(dir, '..', file)) ?? '').trim());
      }
    }
    return { made, unavailable };
  }

  children(name: string): string[] {
    const names = new Set(this.mounts().flatMap((mount) => subdirectories(directoryOf(mount, name))));
    return [...names].sort().map((child) => (name ? `${name}/${child}` : child));
  }

  processes(name: string): number[] {
    return [...new Set(this.directories(name).flatMap((dir) => readPids(join(dir, 'cgroup.procs'))))].sort((a, b) => a - b);
  }

  attach(name: string, pid: number): void {
    for (const dir of this.directories(name)) writeControlFile(join(dir, 'cgroup.procs'), String(pid));
  }

  apply(name: string, limit: Limit): void {
    const controller = limitController[limit.key];
    const dir = this.dir(controller, name);
    if (dir === undefined || !existsSync(dir)) {
      throw Object.assign(new Error(`no v1 ${controller} cgroup ${name}`), { code: 'ENOENT', path: join(this.hierarchies.get(controller) ?? `/sys/fs/cgroup/${controller}`, name) });
    }
    const write = (file: string, value: string) => writeControlFile(join(dir, file), value);
    switch (limit.key) {
      case 'memory.max':
        return setMemoryLimit(dir, limit.bytes);
      case 'memory.low':
        // v1's soft limit is what reclaim protects down to under pressure: the nearest thing to memory.low.
        return write('memory.soft_limit_in_bytes', limit.bytes === 'max' ? '-1' : String(limit.bytes));
      case 'memory.swap.max': {
        // v1 limits memory+swap together; v2's swap.max is the swap part alone (runc converts the same way).
        const memory = readLimit(join(dir, 'memory.limit_in_bytes'));
        const total = limit.bytes === 'max' || memory === 'max' || memory === null ? '-1' : String(memory + limit.bytes);
        return write('memory.memsw.limit_in_bytes', total);
      }
      case 'memory.high':
        throw blockedError('memory.high has no cgroup v1 equivalent', 'On v1 use memory.max (a hard limit) or memory.low (the soft limit); memory.high needs cgroup v2.');
      case 'cpu.max': {
        const quota = limit.quotaUs === 'max' ? '-1' : String(limit.quotaUs);
        // The kernel checks quota against the period already set, so one order can fail where the other works.
        try {
          write('cpu.cfs_period_us', String(limit.periodUs));
          write('cpu.cfs_quota_us', quota);
        } catch (error) {
          if (errnoCode(error) !== 'EINVAL') throw error;
          write('cpu.cfs_quota_us', quota);
          write('cpu.cfs_period_us', String(limit.periodUs));
        }
        return;
      }
      case 'cpu.weight':
        // libcgroup's mapping: linear, weight 100 ↔ 1024 shares.
        return write('cpu.shares', String(Math.max(2, Math.round((limit.weight * 1024) / 100))));
      case 'pids.max':
        return write('pids.max', String(limit.pids));
      case 'io.max':
        for (const [key, file] of [
          ['rbps', 'blkio.throttle.read_bps_device'],
          ['wbps', 'blkio.throttle.write_bps_device'],
          ['riops', 'blkio.throttle.read_iops_device'],
          ['wiops', 'blkio.throttle.write_iops_device'],
        ] as const) {
          const value = limit[key];
          // v1 removes a device's limit when it is set to 0.
          if (value !== undefined) write(file, `${limit.device} ${value === 'max' ? 0 : value}`);
        }
        return;
    }
  }

  stats(name: string): CgroupStats {
    const memory = this.dir('memory', name);
    const cpu = this.dir('cpu', name);
    const cpuacct = this.dir('cpuacct', name);
    const pids = this.dir('pids', name);
    const present = (dir: string | undefined): dir is string => dir !== undefined && existsSync(dir);
    const cpuStat = present(cpu) ? readKeyed(join(cpu, 'cpu.stat')) : {};
    const quota = present(cpu) ? readNumber(join(cpu, 'cpu.cfs_quota_us')) : null;
    const period = present(cpu) ? readNumber(join(cpu, 'cpu.cfs_period_us')) : null;
    const usageNs = present(cpuacct) ? readNumber(join(cpuacct, 'cpuacct.usage')) : null;
    const shares = present(cpu) ? readNumber(join(cpu, 'cpu.shares')) : null;
    return {
      name,
      version: 'v1',
      processes: this.processes(name),
      memory: present(memory)
        ? {
            current: readNumber(join(memory, 'memory.usage_in_bytes')),
            peak: readNumber(join(memory, 'memory.max_usage_in_bytes')),
            max: readLimit(join(memory, 'memory.limit_in_bytes')),
            events: this.memoryEvents(memory),
          }
        : null,
      cpu: present(cpu)
        ? {
            usageUsec: usageNs === null ? null : Math.round(usageNs / 1000),
            periods: cpuStat.nr_periods ?? null,
            throttled: cpuStat.nr_throttled ?? null,
            throttledUsec: cpuStat.throttled_time === undefined ? null : Math.round(cpuStat.throttled_time / 1000),
            max: quota === null || period === null ? null : `${quota < 0 ? 'max' : quota} ${period}`,
            weight: shares === null ? null : Math.max(1, Math.round((shares * 100) / 1024)),
          }
        : null,
      pids: present(pids)
        ? { current: readNumber(join(pids, 'pids.current')), max: readLimit(join(pids, 'pids.max')), events: readKeyed(join(pids, 'pids.events')) }
        : null,
      pressure: null,
    };
  }

  /** v1 has no memory.events: oom_kill lives in memory.oom_control, and failcnt counts hits of the limit. */
  private memoryEvents(dir: string): Record<string, number> {
    const oom = readKeyed(join(dir, 'memory.oom_control'));
    const events: Record<string, number> = {};
    if (oom.oom_kill !== undefined) events.oom_kill = oom.oom_kill;
    const failcnt = readNumber(join(dir, 'memory.failcnt'));
    if (failcnt !== null) events.max = failcnt;
    return events;
  }

  counters(name: string) {
    const counters: Record<string, number> = {};
    const memory = this.dir('memory', name);
    if (memory && existsSync(memory)) for (const [key, value] of Object.entries(this.memoryEvents(memory))) counters[`memory.events.${key}`] = value;
    const pids = this.dir('pids', name);
    if (pids && existsSync(pids)) for (const [key, value] of Object.entries(readKeyed(join(pids, 'pids.events')))) counters[`pids.events.${key}`] = value;
    counters['cgroup.events.populated'] = this.processes(name).length > 0 || this.children(name).length > 0 ? 1 : 0;
    return counters;
  }

  watchFiles(): string[] {
    // v1 signals OOM through eventfd (memory.oom_control), which Node cannot use: poll instead.
    return [];
  }

  /** Freeze (if the freezer hierarchy has the cgroup), SIGKILL every pid of the subtree, thaw; repeat until empty. */
  async kill(name: string): Promise<void> {
    const freezer = this.dir('freezer', name);
    const frozen = freezer !== undefined && existsSync(freezer);
    if (frozen) {
      writeControlFile(join(freezer, 'freezer.state'), 'FROZEN');
      for (let i = 0; i < 100 && (readControl(join(freezer, 'freezer.state')) ?? '').trim() === 'FREEZING'; i++) await sleep(10);
    }
    for (let round = 0; round < 20; round++) {
      const pids = this.subtreeProcesses(name);
      if (pids.length === 0) break;
      for (const pid of pids) signal(pid);
      if (frozen && round === 0) writeControlFile(join(freezer, 'freezer.state'), 'THAWED');
      await sleep(10 * (round + 1));
    }
    if (frozen && (readControl(join(freezer, 'freezer.state')) ?? '').trim() !== 'THAWED') writeControlFile(join(freezer, 'freezer.state'), 'THAWED');
  }

  private subtreeProcesses(name: string): number[] {
    return [...this.processes(name), ...this.children(name).flatMap((child) => this.subtreeProcesses(child))];
  }
}

/**
 * memory.limit_in_bytes, keeping what memory.swap.max set. v1 limits memory+swap (memory.memsw.limit_in_bytes)
 * and refuses with EINVAL any state where it would be below the memory limit, so a limit that rises moves
 * memory+swap first and one that falls moves it last; the swap part (memsw − memory) stays the same.
 */
function setMemoryLimit(dir: string, bytes: number | 'max'): void {
  const memoryFile = join(dir, 'memory.limit_in_bytes');
  const totalFile = join(dir, 'memory.memsw.limit_in_bytes');
  const value = bytes === 'max' ? '-1' : String(bytes);
  const total = readLimit(totalFile);
  // No swap accounting (no memsw file), or memory+swap unlimited: nothing to keep in step.
  if (total === null || total === 'max') return writeControlFile(memoryFile, value);
  const memory = readLimit(memoryFile);
  const swap = typeof memory === 'number' ? Math.max(0, total - memory) : 0;
  const newTotal = bytes === 'max' ? '-1' : String(bytes + swap);
  const rising = bytes === 'max' || typeof memory !== 'number' || bytes > memory;
  if (rising) {
    writeControlFile(totalFile, newTotal);
    writeControlFile(memoryFile, value);
  } else {
    writeControlFile(memoryFile, value);
    writeControlFile(totalFile, newTotal);
  }
}
