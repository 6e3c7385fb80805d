// cgroup-tool's faults without touching the kernel's cgroups: a stand-in backend raises the errno the kernel
// gives, a fixture /proc holds the processes. The same faults on real kernels: test/cgroup-scenarios.ts.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getEventListeners } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IsolabError } from '../errors/index.js';
import { fixtureSystem } from '../system/index.js';
import type { CgroupBackend, CgroupStats } from './backend.js';
import { writeControlFile } from './control-file.js';
import { explainCgroupErrno } from './errno.js';
import { CgroupManager } from './manager.js';
import { directoryOf } from './names.js';
import { parseIoMax, parseLimit } from './values.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'isolab-cgroup-faults-'));
  mkdirSync(join(dir, 'proc'));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

const errno = (code: string, path: string) => Object.assign(new Error(`${code}: ${path}`), { code, path });

/** A backend whose cgroups are `isolab/lab` and the root; `attach` and `apply` do what the test says. */
function fakeBackend(overrides: Partial<CgroupBackend> = {}): CgroupBackend {
  const names = new Set(['', 'isolab', 'isolab/lab']);
  const stats = (name: string): CgroupStats => ({ name, version: 'v1', processes: [], memory: null, cpu: null, pids: null, pressure: null });
  return {
    version: 'v1',
    defaultControllers: ['memory'],
    directories: (name) => [join(dir, 'cpu', name), join(dir, 'memory', name)],
    exists: (name) => names.has(name),
    create: () => ({ made: [], unavailable: [] }),
    children: () => [],
    processes: () => [],
    attach: () => {},
    apply: () => {},
    stats,
    counters: () => ({ 'memory.events.oom_kill': 0 }),
    watchFiles: () => [],
    kill: async () => {},
    ...overrides,
  };
}

const manager = (backend: CgroupBackend) => new CgroupManager(fixtureSystem(dir), backend);

async function refusal(action: () => unknown): Promise<IsolabError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(IsolabError);
    return error as IsolabError;
  }
  throw new Error('expected a refusal');
}

describe('run', () => {
  it('into a cgroup that refuses processes: the attach explanation and exit code, and the command never starts', async () => {
    const procs = join(dir, 'memory/isolab/lab/cgroup.procs');
    const attachError = errno('EBUSY', procs);
    const backend = fakeBackend({ attach: () => { throw attachError; } });
    const attach = await refusal(() => manager(backend).attach('isolab/lab', process.pid));
    const marker = join(dir, 'ran');
    const run = await refusal(() => manager(backend).run('isolab/lab', 'touch', [marker], { stdio: 'ignore' }));
    expect(run.message).toBe(attach.message);
    expect(run.message).toMatch(/no internal processes/);
    expect(run.exitCode).toBe(3);
    expect(existsSync(marker)).toBe(false);
  });

  it('the command runs as the process that was attached (it joins before it starts)', async () => {
    const attached: number[] = [];
    const pidFile = join(dir, 'pid');
    const result = await manager(fakeBackend({ attach: (_name, pid) => void attached.push(pid) })).run('isolab/lab', 'sh', ['-c', `echo $$ > ${pidFile}`], { stdio: 'ignore' });
    expect(result).toMatchObject({ exitCode: 0, signal: null });
    expect(attached).toEqual([Number(readFileSync(pidFile, 'utf8'))]);
  });
});

describe('attach', () => {
  const stat = (pid: number, comm: string, ppid: number, flags: number) =>
    `${pid} (${comm}) S ${ppid} 0 0 0 -1 ${flags} 0 0 0 0 0 1 0 0 20 0 1 0 25 0 0 18446744073709551615 0 0 0\n`;
  const process_ = (pid: number, statLine: string, cmdline: string) => {
    mkdirSync(join(dir, 'proc', String(pid)));
    writeFileSync(join(dir, 'proc', String(pid), 'stat'), statLine);
    writeFileSync(join(dir, 'proc', String(pid), 'cmdline'), cmdline);
  };
  const refusingBackend = () => fakeBackend({ attach: () => { throw errno('EINVAL', join(dir, 'cpu/isolab/lab/cgroup.procs')); } });

  it.each([
    ['its flags have PF_KTHREAD', 77, stat(77, 'kworker/0:1 (x)', 2, 0x04208060), ''],
    ['kthreadd itself', 2, stat(2, 'kthreadd', 0, 0x00208040), ''],
    ['an empty command line and kthreadd for a parent', 90, stat(90, 'ksoftirqd/0', 2, 0x40), ''],
  ])('a kernel thread (%s) cannot be moved: said so, exit 3', async (_, pid, statLine, cmdline) => {
    process_(pid, statLine, cmdline);
    const error = await refusal(() => manager(refusingBackend()).attach('isolab/lab', pid));
    expect(error.message).toMatch(new RegExp(`process ${pid} \\(.+\\) is a kernel thread`));
    expect(error.message).not.toMatch(/wrong format/);
    expect(error.exitCode).toBe(3);
    expect(error.remedy).toMatch(/user-space process/);
  });

  it('a user-space process the kernel refuses keeps the kernel\'s reason', async () => {
    process_(300, stat(300, 'sleep', 1, 0x400000), 'sleep\u000060\u0000');
    const error = await refusal(() => manager(refusingBackend()).attach('isolab/lab', 300));
    expect(error.message).not.toMatch(/kernel thread/);
  });
});

describe('limits: the message names the file that refused, in the hierarchy it is in', () => {
  it('a control file write that fails carries the file path (not only the open)', () => {
    // oom_score_adj opens fine and refuses a non-number in write(2), as a cgroup file refuses a bad value.
    expect(() => writeControlFile('/proc/self/oom_score_adj', 'not a number')).toThrow(expect.objectContaining({ code: 'EINVAL', path: '/proc/self/oom_score_adj' }));
  });

  it.each([
    ['EBUSY', 'memory/isolab/lab/memory.limit_in_bytes', parseLimit('memory.max', '1M')],
    ['ENODEV', 'blkio/isolab/lab/blkio.throttle.write_bps_device', parseIoMax('8:0 wbps=1M')],
  ])('%s in %s', async (code, file, limit) => {
    const path = join(dir, file);
    const error = await refusal(() => manager(fakeBackend({ apply: () => { throw errno(code, path); } })).set('isolab/lab', [limit]));
    expect(error.message).toContain(path);
    expect(error.message).not.toContain(join(dir, 'cpu'));
  });

  it('io-max on 0:0 (ENODEV): names the device, says it is not a block device that takes io limits, exit 2', async () => {
    const path = join(dir, 'blkio/isolab/lab/blkio.throttle.write_bps_device');
    const error = await refusal(() => manager(fakeBackend({ apply: () => { throw errno('ENODEV', path); } })).set('isolab/lab', [parseIoMax('0:0 wbps=1M')]));
    expect(error.message).toMatch(/0:0 is not a block device that supports io limits/);
    expect(error.message).not.toMatch(/: ENODEV$/);
    expect(error.remedy).toMatch(/lsblk/);
    expect(error.exitCode).toBe(2);
  });

  it('v1 memory: EINVAL on memory.limit_in_bytes or memory.memsw.limit_in_bytes says memory+swap must be at least memory', () => {
    for (const file of ['memory.limit_in_bytes', 'memory.memsw.limit_in_bytes']) {
      expect(explainCgroupErrno('EINVAL', 'write-limit', `/sys/fs/cgroup/memory/isolab/lab/${file}`)).toMatch(/memory\.memsw\.limit_in_bytes .* at least memory\.limit_in_bytes/);
    }
  });

  it('v1 memory EBUSY: the cgroup uses more than the new limit', () => {
    expect(explainCgroupErrno('EBUSY', 'write-limit', '/sys/fs/cgroup/memory/isolab/lab/memory.limit_in_bytes')).toMatch(/uses more memory than the new limit/);
  });
});

describe('names through a control file', () => {
  beforeEach(() => {
    mkdirSync(join(dir, 'mount/isolab/lab'), { recursive: true });
    writeFileSync(join(dir, 'mount/isolab/lab/cgroup.procs'), '');
  });

  it.each(['isolab/lab/cgroup.procs', 'isolab/lab/cgroup.procs/x', 'isolab/lab/cgroup.procs/x/y'])('%s is a usage error that names the control file', (name) => {
    let error: unknown;
    try {
      directoryOf(join(dir, 'mount'), name);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IsolabError);
    expect((error as IsolabError).message).toBe('"isolab/lab/cgroup.procs" is a control file of the cgroup isolab/lab, not a cgroup');
    expect((error as IsolabError).exitCode).toBe(2);
  });
});

describe('read-only commands on the root cgroup', () => {
  it('stats / and events / read; limits, kill and delete on / are still refused', async () => {
    const tool = manager(fakeBackend());
    expect(tool.stats('/').name).toBe('');
    const controller = new AbortController();
    const watching = tool.watch('/', () => {}, controller.signal);
    controller.abort();
    await expect(watching).resolves.toBe('aborted');
    for (const write of [() => tool.set('/', [parseLimit('pids.max', '5')]), () => tool.kill('/'), () => tool.delete('/')]) {
      expect((await refusal(write)).message).toMatch(/will not limit, kill or remove the root cgroup/);
    }
  });
});

describe('events', () => {
  it('polls an hour with one abort listener and one timer: no MaxListenersExceededWarning, nothing piles up', async () => {
    vi.useFakeTimers();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      let reads = 0;
      const watching = manager(fakeBackend({ counters: () => ({ 'memory.events.oom_kill': ++reads }) })).watch('isolab/lab', () => {}, controller.signal);
      // An hour of v1 polling (one poll each 200 ms), on a fake clock: what a leak per poll would pile up is counted.
      let mostListeners = 0;
      let mostTimers = 0;
      for (let poll = 0; poll < 18_000; poll++) {
        await vi.advanceTimersByTimeAsync(200);
        mostListeners = Math.max(mostListeners, getEventListeners(controller.signal, 'abort').length);
        mostTimers = Math.max(mostTimers, vi.getTimerCount());
      }
      expect(reads).toBeGreaterThan(17_000);
      expect(mostListeners).toBe(1);
      expect(mostTimers).toBe(1);
      controller.abort();
      await expect(watching).resolves.toBe('aborted');
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      process.off('warning', onWarning);
    }
    vi.useRealTimers();
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
  });
});
