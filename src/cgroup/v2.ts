import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { errnoCode } from '../errors/index.js';
import type { CgroupBackend, CgroupStats } from './backend.js';
import { writeControlFile } from './control-file.js';
import { directoryOf } from './names.js';
import { readControl, readKeyed, readLimit, readNumber, readPids, readPressure } from './read-files.js';
import { v2Value, type Limit } from './values.js';

const pressureResources = ['cpu', 'memory', 'io'] as const;

/** cgroup v2: one tree, controllers enabled top-down through cgroup.subtree_control (cgroup-v2.rst). */
export class V2Backend implements CgroupBackend {
  readonly version = 'v2';
  readonly defaultControllers = ['cpu', 'io', 'memory', 'pids'];

  constructor(readonly mountDir: string) {}

  directories(name: string): string[] {
    return [directoryOf(this.mountDir, name)];
  }

  private dir(name: string): string {
    return directoryOf(this.mountDir, name);
  }

  exists(name: string): boolean {
    return existsSync(join(this.dir(name), 'cgroup.procs'));
  }

  /**
   * Every ancestor but the leaf enables the controllers for its children (runc's CreateCgroupPath; libcgroup
   * enables them at the root too). A controller an ancestor does not have is reported, not fatal: the
   * cgroup is still useful for the others.
   */
  create(name: string, controllers: readonly string[]) {
    const made: string[] = [];
    const unavailable: Array<{ controller: string; reason: string }> = [];
    const segments = name.split('/').filter(Boolean);
    let current = '';
    let wanted = [...controllers];
    for (let depth = 0; depth <= segments.length; depth++) {
      const dir = this.dir(current);
      if (!existsSync(dir)) {
        mkdirSync(dir);
        made.push(dir);
      }
      if (depth === segments.length) break;
      const available = (readControl(join(dir, 'cgroup.controllers')) ?? '').split(/\s+/);
      const enabled = (readControl(join(dir, 'cgroup.subtree_control')) ?? '').split(/\s+/);
      for (const controller of wanted.filter((candidate) => !available.includes(candidate))) {
        unavailable.push({ controller, reason: `not in ${join(dir, 'cgroup.controllers')} (its parent did not delegate it)` });
      }
      const missing = wanted.filter((controller) => available.includes(controller) && !enabled.includes(controller));
      // One write for all: in a populated cgroup it fails whole (EBUSY). Enabling them one by one would let the
      // threaded controllers (cpu, pids) through where memory is refused, which makes the cgroup a threaded root
      // whose other children can then take no processes.
      if (missing.length > 0) {
        try {
          writeControlFile(join(dir, 'cgroup.subtree_control'), missing.map((controller) => `+${controller}`).join(' '));
        } catch (error) {
          const code = errnoCode(error);
          if (code !== 'EBUSY' && code !== 'ENOENT' && code !== 'EOPNOTSUPP' && code !== 'ENOTSUP') throw error;
          for (const controller of missing) {
            unavailable.push({
              controller,
              reason: code === 'EBUSY' ? `${dir} holds processes, so it cannot enable controllers for children (no internal processes)` : `${dir} refused it (${code})`,
            });
          }
        }
      }
      wanted = wanted.filter((controller) => !unavailable.some((entry) => entry.controller === controller));
      current = current ? `${current}/${segments[depth]}` : segments[depth]!;
    }
    return { made, unavailable };
  }

  children(name: string): string[] {
    return subdirectories(this.dir(name)).map((child) => (name ? `${name}/${child}` : child));
  }

  processes(name: string): number[] {
    return readPids(join(this.dir(name), 'cgroup.procs'));
  }

  attach(name: string, pid: number): void {
    writeControlFile(join(this.dir(name), 'cgroup.procs'), String(pid));
  }

  apply(name: string, limit: Limit): void {
    writeControlFile(join(this.dir(name), limit.key), v2Value(limit));
  }

  stats(name: string): CgroupStats {
    const dir = this.dir(name);
    const at = (file: string) => join(dir, file);
    const cpuStat = readKeyed(at('cpu.stat'));
    const pressure = Object.fromEntries(
      pressureResources.map((resource) => [resource, readPressure(at(`${resource}.pressure`))] as const).filter((entry) => entry[1] !== null),
    ) as CgroupStats['pressure'];
    return {
      name,
      version: 'v2',
      processes: readPids(at('cgroup.procs')),
      memory: existsSync(at('memory.current'))
        ? { current: readNumber(at('memory.current')), peak: readNumber(at('memory.peak')), max: readLimit(at('memory.max')), events: readKeyed(at('memory.events')) }
        : null,
      // cpu.stat exists even without the cpu controller (usage only); throttling needs it.
      cpu: existsSync(at('cpu.stat'))
        ? {
            usageUsec: cpuStat.usage_usec ?? null,
            periods: cpuStat.nr_periods ?? null,
            throttled: cpuStat.nr_throttled ?? null,
            throttledUsec: cpuStat.throttled_usec ?? null,
            max: readControl(at('cpu.max'))?.trim() ?? null,
            weight: readNumber(at('cpu.weight')),
          }
        : null,
      pids: existsSync(at('pids.current'))
        ? { current: readNumber(at('pids.current')), max: readLimit(at('pids.max')), events: readKeyed(at('pids.events')) }
        : null,
      pressure: pressure && Object.keys(pressure).length > 0 ? pressure : null,
    };
  }

  counters(name: string) {
    const dir = this.dir(name);
    const prefixed = (prefix: string, entries: Record<string, number>) =>
      Object.fromEntries(Object.entries(entries).map(([key, value]) => [`${prefix}.${key}`, value]));
    return {
      ...prefixed('memory.events', readKeyed(join(dir, 'memory.events'))),
      ...prefixed('pids.events', readKeyed(join(dir, 'pids.events'))),
      ...prefixed('cgroup.events', readKeyed(join(dir, 'cgroup.events'))),
    };
  }

  watchFiles(name: string): string[] {
    // These files raise inotify IN_MODIFY when their counters change (as runc's notify_v2 relies on).
    return ['memory.events', 'pids.events', 'cgroup.events'].map((file) => join(this.dir(name), file)).filter((file) => existsSync(file));
  }

  /** cgroup.kill (5.14+) kills the whole subtree at once; before that: freeze, SIGKILL every pid, thaw. */
  async kill(name: string): Promise<void> {
    const dir = this.dir(name);
    if (existsSync(join(dir, 'cgroup.kill'))) {
      writeControlFile(join(dir, 'cgroup.kill'), '1');
    } else {
      const freezable = existsSync(join(dir, 'cgroup.freeze'));
      if (freezable) {
        writeControlFile(join(dir, 'cgroup.freeze'), '1');
        for (let i = 0; i < 50 && !/frozen 1/.test(readControl(join(dir, 'cgroup.events')) ?? ''); i++) await sleep(10);
      }
      for (const pid of this.subtreeProcesses(name)) signal(pid);
      if (freezable) writeControlFile(join(dir, 'cgroup.freeze'), '0');
    }
    for (let i = 0; i < 200 && /populated 1/.test(readControl(join(dir, 'cgroup.events')) ?? ''); i++) await sleep(10);
  }

  private subtreeProcesses(name: string): number[] {
    return [...this.processes(name), ...this.children(name).flatMap((child) => this.subtreeProcesses(child))];
  }
}

export function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

export function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
