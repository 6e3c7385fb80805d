import { existsSync, rmdirSync, watch as watchFile } from 'node:fs';
import type { Writable } from 'node:stream';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, IsolabError, blockedError, errnoCode, usageError } from '../errors/index.js';
import { loadExeca } from '../exec/index.js';
import { ancestry, liveSystem, readText, statusField, type SystemRoot } from '../system/index.js';
import type { CgroupBackend, CgroupStats, EventCounters } from './backend.js';
import { explainCgroupErrno, type CgroupOperation } from './errno.js';
import { kernelThreadName } from './kernel-thread.js';
import { cgroupDirectory, cgroupMounts, parseProcCgroup, unifiedMount } from './membership.js';
import { detectCgroupMode } from './mode.js';
import { normaliseName } from './names.js';
import { V1Backend, type V1Hierarchies } from './v1.js';
import { V2Backend } from './v2.js';
import { v2Value, type Limit } from './values.js';

/** How a program run in a cgroup ended: its exit code, or the signal that killed it, or why it never started. */
export interface CgroupRunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: string;
}

export interface TreeNode {
  name: string;
  processes: number;
  children: TreeNode[];
}

export interface CounterChange {
  at: string;
  counter: string;
  from: number;
  to: number;
}

/**
 * The cgroup tool's engine, over a v2 or a v1 backend chosen by the machine's mode. Names are paths relative
 * to the cgroup mount root. It never limits, kills or deletes the cgroup that holds the caller or one of its
 * ancestors (the learner's own shell and editor) unless forced.
 */
export class CgroupManager {
  readonly backend: CgroupBackend;

  constructor(
    readonly system: SystemRoot = liveSystem(),
    backend?: CgroupBackend,
  ) {
    this.backend = backend ?? chooseBackend(system);
  }

  get version(): 'v1' | 'v2' {
    return this.backend.version;
  }

  create(name: string, controllers?: readonly string[]): { name: string; made: string[]; unavailable: Array<{ controller: string; reason: string }> } {
    const cgroup = this.requireName(name, 'create');
    const wanted = controllers ?? this.backend.defaultControllers;
    try {
      return { name: cgroup, ...this.backend.create(cgroup, wanted) };
    } catch (error) {
      throw this.explain(error, 'create', cgroup);
    }
  }

  /** Children first; a populated cgroup is refused unless `kill`, which kills its processes first. */
  async delete(name: string, options: { kill?: boolean; force?: boolean } = {}): Promise<string[]> {
    const cgroup = this.requireExisting(name, 'remove');
    this.guardOwnCgroup(cgroup, 'delete', options.force);
    const populated = this.subtree(cgroup).filter((node) => this.backend.processes(node).length > 0);
    if (populated.length > 0 && !options.kill) {
      const pids = populated.flatMap((node) => this.backend.processes(node));
      throw blockedError(
        `${cgroup} still has ${pids.length} process${pids.length === 1 ? '' : 'es'} (${pids.slice(0, 5).join(', ')}${pids.length > 5 ? ', …' : ''})`,
        `A cgroup with processes cannot be removed. Kill them with --kill (or cgroup-tool kill ${cgroup}), or move them out first.`,
      );
    }
    if (populated.length > 0) await this.kill(cgroup, { force: options.force });
    const removed: string[] = [];
    for (const node of this.subtree(cgroup).reverse()) {
      for (const dir of this.backend.directories(node)) {
        await removeDirectory(dir).catch((error: unknown) => {
          throw this.explain(error, 'remove', node);
        });
        removed.push(dir);
      }
    }
    if (this.backend.exists(cgroup)) {
      const left = this.backend.directories(cgroup).filter((dir) => existsSync(dir));
      throw blockedError(`${cgroup} is still present in ${left.join(', ')}`, 'Run the delete again, or look for processes that moved in meanwhile.');
    }
    return removed;
  }

  attach(name: string, pid: number): void {
    const cgroup = this.requireExisting(name, 'attach');
    if (!Number.isInteger(pid) || pid <= 0) throw usageError(`"${pid}" is not a process id`, 'Give a positive whole number (see `ps` or `pgrep`).');
    // A pid in the TASK_NEW state can be refused with EINVAL for a moment (runc retries 5× at 30 ms).
    for (let attempt = 0; ; attempt++) {
      try {
        this.backend.attach(cgroup, pid);
        return;
      } catch (error) {
        if (errnoCode(error) === 'EINVAL') {
          const thread = kernelThreadName(this.system, pid);
          if (thread !== undefined) {
            throw blockedError(
              `process ${pid} (${thread}) is a kernel thread: the kernel refuses to move kthreadd and per-CPU kernel threads out of their cgroup (EINVAL from ${(error as { path?: string }).path ?? 'cgroup.procs'})`,
              'Give the pid of a user-space process (ps -o pid,args shows kernel threads in [brackets]).',
            );
          }
          if (attempt < 5) {
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
            continue;
          }
        }
        throw this.explain(error, 'attach', cgroup, { pid });
      }
    }
  }

  /**
   * Runs a command inside the cgroup. A shell starts, waits on fd 3 while `attach` moves it (so a refusal reads as
   * attach's does), then execs the command: the command never runs outside (Node has no
   * clone3(CLONE_INTO_CGROUP)). `started` gets the command's pid once it is in. Resolves when it ends.
   */
  async run(
    name: string,
    command: string,
    args: readonly string[],
    options: { stdio?: 'inherit' | 'ignore'; started?: (pid: number) => void } = {},
  ): Promise<CgroupRunResult> {
    const cgroup = this.requireExisting(name, 'attach');
    // A gate that closes without "go" (a refusal, or cgroup-tool gone) ends the shell before the command starts.
    const script = 'read -r gate <&3 && [ "$gate" = go ] || exit 125; exec "$@" 3<&-';
    // Loaded here, not at start-up: the other cgroup-tool commands never start a program.
    const execa = await loadExeca();
    const stdio = options.stdio ?? 'inherit';
    const child = execa('sh', ['-c', script, 'sh', command, ...args], { stdio: [stdio, stdio, stdio, 'pipe'], reject: false });
    // Node makes an extra 'pipe' fd a socket pair, writable from here; execa types fds above 2 as output.
    const gate = child.stdio[3] as unknown as Writable;
    // A shell that is gone before it reads the gate (EPIPE) says so by its exit status.
    gate.on('error', () => {});
    if (child.pid !== undefined) {
      try {
        this.attach(cgroup, child.pid);
      } catch (error) {
        gate.destroy();
        await child;
        throw error;
      }
      gate.end('go\n');
      options.started?.(child.pid);
    }
    const result = await child;
    const started = result.exitCode !== undefined || result.signal !== undefined;
    return {
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      ...(started ? {} : { spawnError: result.originalMessage || result.shortMessage }),
    };
  }

  set(name: string, limits: readonly Limit[], options: { force?: boolean; warn?: (message: string) => void } = {}): void {
    const cgroup = this.requireExisting(name, 'write-limit');
    this.guardOwnCgroup(cgroup, 'limit', options.force, options.warn);
    // memory.swap.max after memory.max: on v1 the swap limit is written as memory+swap, from the memory limit.
    const ordered = [...limits].sort((a, b) => Number(a.key === 'memory.swap.max') - Number(b.key === 'memory.swap.max'));
    for (const limit of ordered) {
      try {
        this.backend.apply(cgroup, limit);
      } catch (error) {
        if (error instanceof IsolabError) throw error;
        throw this.explain(error, 'write-limit', cgroup, { limit });
      }
    }
  }

  /** Reads only, so the root cgroup is allowed. */
  stats(name: string): CgroupStats {
    return this.backend.stats(this.requireExisting(name, 'read'));
  }

  async kill(name: string, options: { force?: boolean } = {}): Promise<void> {
    const cgroup = this.requireExisting(name, 'remove');
    this.guardOwnCgroup(cgroup, 'kill', options.force);
    try {
      await this.backend.kill(cgroup);
    } catch (error) {
      throw this.explain(error, 'write-limit', cgroup);
    }
  }

  tree(name = ''): TreeNode {
    const cgroup = normaliseName(name);
    if (cgroup !== '' && !this.backend.exists(cgroup)) throw this.missing(cgroup);
    const build = (node: string): TreeNode => ({
      name: node || '/',
      processes: this.backend.processes(node).length,
      children: this.backend.children(node).map(build),
    });
    return build(cgroup);
  }

  children(name = ''): string[] {
    const cgroup = normaliseName(name);
    if (cgroup !== '' && !this.backend.exists(cgroup)) throw this.missing(cgroup);
    return this.backend.children(cgroup);
  }

  /**
   * Calls `onChange` whenever an event counter moves (OOM kills, hits of pids.max, populated), until the
   * signal aborts or the cgroup disappears. v2 files raise inotify events; v1 is polled.
   */
  async watch(name: string, onChange: (change: CounterChange) => void, signal: AbortSignal): Promise<'aborted' | 'removed'> {
    const cgroup = this.requireExisting(name, 'read');
    let last: EventCounters = this.backend.counters(cgroup);
    // One wake-up for the poll under way, shared by the timer, the file watchers and the abort: a listener or a
    // timer per poll would pile up over an hour of polling.
    let wake: (() => void) | undefined;
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort);
    const watchers = this.backend.watchFiles(cgroup).map((file) => watchFile(file, () => wake?.()));
    try {
      while (!signal.aborted) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => wake?.(), watchers.length > 0 ? 1000 : 200);
          wake = () => {
            clearTimeout(timer);
            wake = undefined;
            resolve();
          };
        });
        if (signal.aborted) break;
        if (!this.backend.exists(cgroup)) return 'removed';
        const now = this.backend.counters(cgroup);
        for (const [counter, value] of Object.entries(now)) {
          const before = last[counter] ?? 0;
          if (value !== before) onChange({ at: new Date().toISOString(), counter, from: before, to: value });
        }
        last = now;
      }
      return 'aborted';
    } finally {
      signal.removeEventListener('abort', onAbort);
      for (const watcher of watchers) watcher.close();
    }
  }

  /** The cgroup and all its descendants, parents before children. */
  private subtree(name: string): string[] {
    return [name, ...this.backend.children(name).flatMap((child) => this.subtree(child))];
  }

  private requireName(name: string, operation: CgroupOperation): string {
    const cgroup = normaliseName(name);
    if (cgroup === '' && operation !== 'attach') throw usageError('that is the root cgroup', 'Name a cgroup below the root, e.g. isolab/lab.');
    return cgroup;
  }

  /** `read` allows the root cgroup; writes to it (limits, kill, remove) are refused. */
  private requireExisting(name: string, operation: CgroupOperation | 'read'): string {
    const cgroup = normaliseName(name);
    if (cgroup === '') {
      if (operation === 'write-limit' || operation === 'remove') {
        throw blockedError('isolab will not limit, kill or remove the root cgroup', 'It holds every process on the machine. Create a cgroup below it: cgroup-tool create isolab/lab');
      }
      return cgroup;
    }
    if (!this.backend.exists(cgroup)) throw this.missing(cgroup);
    return cgroup;
  }

  private missing(cgroup: string): IsolabError {
    return usageError(`no cgroup named "${cgroup}"`, `Create it first: cgroup-tool create ${cgroup}   (cgroup-tool ls shows what exists)`);
  }

  /**
   * Limits on a cgroup apply to everything below it. Writing memory.max on a container's root cgroup once
   * OOM-killed a learner's editor, so the cgroups holding this process or its ancestors are off limits.
   */
  private guardOwnCgroup(cgroup: string, action: 'limit' | 'kill' | 'delete', force?: boolean, warn?: (message: string) => void): void {
    const targets = this.backend.directories(cgroup);
    const holders = ownProcessChain(this.system).filter(({ dirs }) => dirs.some((dir) => targets.some((target) => dir === target || dir.startsWith(`${target}/`))));
    if (holders.length === 0) return;
    const who = holders.map(({ pid, name }) => `${name} (pid ${pid})`).join(', ');
    if (force) {
      warn?.(`${cgroup} holds ${who}; going ahead because of --force`);
      return;
    }
    throw blockedError(
      `${cgroup} holds ${who}: to ${action} it would ${action === 'limit' ? 'limit' : action === 'kill' ? 'kill' : 'take down'} your own session`,
      `Use a cgroup of its own (cgroup-tool create isolab/lab, then cgroup-tool run isolab/lab -- <command>), or pass --force if you mean it.`,
    );
  }

  /** The errno in words, naming the file that refused (on v1: the hierarchy it is in), and what to do. */
  private explain(error: unknown, operation: CgroupOperation, cgroup: string, subject: { pid?: number; limit?: Limit } = {}): IsolabError {
    if (error instanceof IsolabError) return error;
    const code = errnoCode(error);
    if (!code) return error as IsolabError;
    const file = (error as { path?: string }).path ?? this.backend.directories(cgroup)[0] ?? cgroup;
    const { pid, limit } = subject;
    if (code === 'ESRCH' && pid !== undefined) {
      return new IsolabError(`no process with pid ${pid} (it may have exited)`, { exitCode: ExitCode.usage, cause: error });
    }
    if (code === 'ENODEV' && limit?.key === 'io.max') {
      return new IsolabError(`device ${limit.device} is not a block device that supports io limits (${file}: ENODEV)`, {
        exitCode: ExitCode.usage,
        remedy: 'lsblk lists the block devices with their MAJ:MIN; give a whole disk (TYPE disk), e.g. 8:0, not a partition.',
        cause: error,
      });
    }
    const value = code === 'EINVAL' && limit ? ` (${limit.key}=${v2Value(limit)})` : '';
    const exitCode = code === 'EINVAL' || code === 'ESRCH' ? ExitCode.usage : ExitCode.blocked;
    return new IsolabError(explainCgroupErrno(code, operation, file) + value, { exitCode, remedy: remedyFor(code, file), cause: error });
  }
}

function remedyFor(code: string, file: string): string | undefined {
  if (/\/memory\.(memsw\.)?limit_in_bytes$/.test(file)) {
    if (code === 'EINVAL') return 'Set memory.max and memory.swap.max together (cgroup-tool set <cgroup> memory.max=… memory.swap.max=…), or raise memory.swap.max first.';
    if (code === 'EBUSY') return 'Choose a higher limit, or end processes in the cgroup first (cgroup-tool stats shows its usage).';
  }
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'Run it as root (sudo cgroup-tool …, or in a root shell: sudo -s), or in a cgroup delegated to you; isolab doctor says which you have.';
    case 'EROFS':
      return 'Start the container privileged, or use a classroom VM; isolab doctor explains.';
    case 'ENOENT':
      return 'isolab doctor lists the controllers this machine delegates.';
    default:
      return undefined;
  }
}

/** The calling process and its ancestors (PID 1 aside), with the cgroup directories each is in. */
function ownProcessChain(system: SystemRoot): Array<{ pid: number; name: string; dirs: string[] }> {
  const mounts = cgroupMounts(system);
  const chain: Array<{ pid: number; name: string; dirs: string[] }> = [];
  for (const pid of ancestry(system, process.pid)) {
    const cgroups = readText(join(system.proc, String(pid), 'cgroup'));
    if (pid <= 1 || cgroups === undefined) break;
    const dirs: string[] = [];
    for (const line of parseProcCgroup(cgroups)) {
      const mount = line.hierarchy === 0
        ? mounts.find((candidate) => candidate.fsType === 'cgroup2')
        : mounts.find((candidate) => candidate.fsType === 'cgroup' && line.controllers.some((controller) => candidate.superOptions.includes(controller)));
      const dir = mount && cgroupDirectory(system, mount, line.path);
      if (dir) dirs.push(dir.replace(/\/$/, ''));
    }
    chain.push({ pid, name: statusField(system, pid, 'Name') ?? '?', dirs });
  }
  return chain;
}

/** rmdir, retried while the kernel still reports EBUSY for processes that are exiting (runc: 10 tries). */
export async function removeDirectory(dir: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || attempt >= 10) throw error;
      await sleep(2 ** attempt);
    }
  }
}

function chooseBackend(system: SystemRoot): CgroupBackend {
  const mode = detectCgroupMode(system);
  if (mode === 'v2') {
    const mount = unifiedMount(system);
    if (!mount) throw blockedError('no cgroup2 mount found', 'isolab doctor shows what this machine has.');
    return new V2Backend(join(system.root, mount.mountPoint));
  }
  if (mode === 'v1' || mode === 'hybrid') {
    const hierarchies: V1Hierarchies = new Map();
    for (const mount of cgroupMounts(system)) {
      if (mount.fsType !== 'cgroup') continue;
      for (const option of mount.superOptions) if (!option.includes('=') && option !== 'rw' && option !== 'ro' && existsSync(join(system.root, mount.mountPoint))) hierarchies.set(option, join(system.root, mount.mountPoint));
    }
    return new V1Backend(hierarchies);
  }
  throw blockedError('the cgroup filesystem could not be found', 'Is /sys/fs/cgroup mounted? isolab doctor shows what this machine has.');
}
