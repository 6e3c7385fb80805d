/**
 * cgroup-tool on a real kernel, written once and run on both backends: under vitest on this project's v1/hybrid
 * machines (src/cgroup/manager.live.test.ts) and under node:test in the cgroup v2 lane
 * (src/cgroup/manager.v2.test.ts). The same scenarios passing on both is the parity test: the same limits give
 * the same outcome. Counters are asserted to rise, never exact timings.
 */
import { execa } from 'execa';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { cgroupMounts, detectCgroupMode } from '../src/cgroup/index.js';
import { findOnPath } from '../src/env/index.js';
import { liveSystem } from '../src/system/index.js';
import { cliResult, repoRoot, type CliResult } from './helpers/cli.js';
import { runSync } from './helpers/run.js';

export const cgroupToolBin = join(repoRoot, 'dist/cgroup-tool.js');

export type ToolResult = CliResult;

export function tool(...args: string[]): ToolResult {
  return cliResult(runSync(process.execPath, [cgroupToolBin, ...args], { timeout: 120_000 }));
}

function ok(result: ToolResult): ToolResult {
  assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  return result;
}

interface Stats {
  version: 'v1' | 'v2';
  processes: number[];
  memory: { current: number; peak: number | null; max: number | 'max'; events: Record<string, number> } | null;
  cpu: { periods: number | null; throttled: number | null; max: string | null; weight: number | null } | null;
  pids: { current: number; max: number | 'max'; events: Record<string, number> } | null;
}

const stats = (name: string): Stats => JSON.parse(ok(tool('stats', name, '--json')).stdout) as Stats;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** cgroup-tool's lab tree (`isolab/`) in every hierarchy, and what is in it: must be the same before and after. */
export function labCgroups(): string[] {
  return cgroupMounts(liveSystem())
    .map((mount) => join(mount.mountPoint, 'isolab'))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => [dir, ...readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => join(dir, entry.name))])
    .sort();
}

/** The first block device, as major:minor, for io.max. */
function someBlockDevice(): string | undefined {
  for (const name of readdirSync('/sys/block')) {
    const device = readFileSync(join('/sys/block', name, 'dev'), 'utf8').trim();
    if (device) return device;
  }
  return undefined;
}

export interface Scenario {
  name: string;
  skip?: () => string | undefined;
  run: () => Promise<void>;
}

const base = 'isolab/tool-test';

const onlyOnV2 = () => (detectCgroupMode(liveSystem()) === 'v2' ? undefined : 'the no-internal-processes rule is cgroup v2\'s');

/**
 * `cgroup-tool run <cgroup> -- sleep 300`, in the background and in a session of its own: on a terminal, a SIGINT to
 * a cgroup-tool in the terminal's foreground group is taken for Ctrl-C, which reached the command already.
 */
function runInBackground(cgroup: string) {
  return execa(process.execPath, [cgroupToolBin, 'run', cgroup, '--', 'sleep', '300'], { stdio: 'ignore', reject: false, detached: true });
}

export const scenarios: Scenario[] = [
  {
    name: 'create makes a cgroup with its parents, and says so when it already exists',
    async run() {
      assert.match(ok(tool('create', `${base}/a/b`)).stdout, /created isolab\/tool-test\/a\/b/);
      assert.match(ok(tool('create', `${base}/a/b`)).stdout, /already exists/);
      assert.deepEqual(JSON.parse(ok(tool('ls', `${base}/a`, '--json')).stdout), [`${base}/a/b`]);
      assert.match(ok(tool('tree', base)).stdout, /└── b/);
      ok(tool('delete', `${base}/a`));
    },
  },
  {
    name: 'memory.max: a process over the limit is OOM-killed, and the kill is counted',
    async run() {
      ok(tool('create', `${base}/mem`));
      ok(tool('set', `${base}/mem`, 'memory.max=32M', 'memory.swap.max=0'));
      assert.equal(stats(`${base}/mem`).memory?.max, 32 * 2 ** 20);
      const run = tool('run', `${base}/mem`, '--', 'tail', '/dev/zero');
      assert.equal(run.code, 137, run.stderr);
      assert.ok((stats(`${base}/mem`).memory?.events.oom_kill ?? 0) >= 1);
      ok(tool('delete', `${base}/mem`));
    },
  },
  {
    name: 'pids.max: forks beyond the limit are refused, and counted',
    async run() {
      ok(tool('create', `${base}/pids`));
      ok(tool('pids-max', `${base}/pids`, '4'));
      const run = tool('run', `${base}/pids`, '--', 'sh', '-c', 'for i in 1 2 3 4 5 6; do sleep 5 & done; wait');
      assert.match(run.stderr, /fork|resource temporarily unavailable/i);
      const after = stats(`${base}/pids`);
      assert.equal(after.pids?.max, 4);
      assert.ok((after.pids?.events.max ?? 0) >= 1, JSON.stringify(after.pids));
      ok(tool('delete', `${base}/pids`, '--kill'));
    },
  },
  {
    name: 'cpu.max: a busy loop is throttled',
    async run() {
      ok(tool('create', `${base}/cpu`));
      ok(tool('cpu-max', `${base}/cpu`, '10%'));
      assert.equal(stats(`${base}/cpu`).cpu?.max, '10000 100000');
      tool('run', `${base}/cpu`, '--', 'timeout', '1.5', 'sh', '-c', 'while :; do :; done');
      const cpu = stats(`${base}/cpu`).cpu;
      assert.ok((cpu?.throttled ?? 0) > 0, JSON.stringify(cpu));
      ok(tool('delete', `${base}/cpu`));
    },
  },
  {
    name: 'other limits: memory.low, cpu.weight, and io.max on a block device',
    async run() {
      ok(tool('create', `${base}/misc`));
      ok(tool('set', `${base}/misc`, 'memory.low=8M', 'cpu.weight=50'));
      assert.equal(stats(`${base}/misc`).cpu?.weight, 50);
      const device = someBlockDevice();
      if (device) ok(tool('io-max', `${base}/misc`, device, 'wbps=1M', 'riops=100'));
      ok(tool('delete', `${base}/misc`));
    },
  },
  {
    name: 'memory.max can be raised and lowered after memory.swap.max (v1: memory+swap is kept at least memory)',
    async run() {
      ok(tool('create', `${base}/swap`));
      ok(tool('set', `${base}/swap`, 'memory.max=32M', 'memory.swap.max=0'));
      ok(tool('memory-max', `${base}/swap`, '64M'));
      assert.equal(stats(`${base}/swap`).memory?.max, 64 * 2 ** 20);
      ok(tool('memory-max', `${base}/swap`, '16M'));
      assert.equal(stats(`${base}/swap`).memory?.max, 16 * 2 ** 20);
      ok(tool('set', `${base}/swap`, 'memory.max=max'));
      assert.equal(stats(`${base}/swap`).memory?.max, 'max');
      ok(tool('delete', `${base}/swap`));
    },
  },
  {
    name: 'v1: a memory limit below what the cgroup holds is refused (EBUSY), naming the memory hierarchy',
    skip: () => (detectCgroupMode(liveSystem()) === 'v2' ? 'v2 reclaims or OOM-kills where v1 refuses' : undefined),
    async run() {
      ok(tool('create', `${base}/held`));
      ok(tool('set', `${base}/held`, 'memory.max=96M', 'memory.swap.max=0'));
      const hold = 'globalThis.held = Buffer.alloc(32 << 20, 1); setInterval(() => {}, 1000)';
      const holder = execa(process.execPath, [cgroupToolBin, 'run', `${base}/held`, '--', process.execPath, '-e', hold], { stdio: 'ignore', reject: false });
      try {
        await until('32M held', () => (stats(`${base}/held`).memory?.current ?? 0) > 32 * 2 ** 20);
        const refused = tool('memory-max', `${base}/held`, '4M');
        assert.equal(refused.code, 3, refused.stderr);
        assert.match(refused.stderr, /\/memory\/isolab\/tool-test\/held\/memory\.limit_in_bytes: the cgroup uses more memory than the new limit/);
      } finally {
        ok(tool('delete', `${base}/held`, '--kill'));
        await holder;
      }
    },
  },
  {
    name: 'run passes SIGTERM and SIGINT to its command and exits as it did; after SIGKILL, kill ends the command',
    async run() {
      ok(tool('create', `${base}/signals`));
      try {
        for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
          const runner = runInBackground(`${base}/signals`);
          await until('the command in the cgroup', () => stats(`${base}/signals`).processes.length === 1);
          process.kill(runner.pid!, signal);
          await until(`the command to end after ${signal}`, () => stats(`${base}/signals`).processes.length === 0, 5000);
          assert.equal((await runner).exitCode, code);
        }
        // SIGKILL cannot be passed on: the command stays in the cgroup (as with cgexec) until kill ends it.
        const runner = runInBackground(`${base}/signals`);
        await until('the command in the cgroup', () => stats(`${base}/signals`).processes.length === 1);
        process.kill(runner.pid!, 'SIGKILL');
        await runner;
        assert.equal(stats(`${base}/signals`).processes.length, 1);
        ok(tool('kill', `${base}/signals`));
        await until('the command to end after cgroup-tool kill', () => stats(`${base}/signals`).processes.length === 0, 5000);
      } finally {
        ok(tool('delete', `${base}/signals`, '--kill'));
      }
    },
  },
  {
    name: 'read-only commands work on the root cgroup: stats / and events /',
    async run() {
      assert.ok(Array.isArray((JSON.parse(ok(tool('stats', '/', '--json')).stdout) as Stats).processes));
      const watcher = execa(process.execPath, [cgroupToolBin, 'events', '/'], { buffer: false, reject: false });
      let errors = '';
      watcher.stderr.on('data', (chunk: Buffer) => (errors += chunk));
      await until('events to watch the root', () => /watching \//.test(errors) || watcher.exitCode !== null);
      watcher.kill('SIGINT');
      assert.equal((await watcher).exitCode, 0, errors);
    },
  },
  {
    name: 'run into a cgroup with controllers enabled for its children says what attach says (no internal processes)',
    skip: onlyOnV2,
    async run() {
      ok(tool('create', `${base}/inner/leaf`));
      const sleeper = execa('sleep', ['60'], { stdio: 'ignore', reject: false });
      try {
        const attach = tool('attach', `${base}/inner`, String(sleeper.pid));
        const run = tool('run', `${base}/inner`, '--', 'true');
        assert.match(attach.stderr, /no internal processes/);
        assert.deepEqual(run, { ...attach, stdout: '' });
      } finally {
        sleeper.kill('SIGKILL');
        await sleeper;
      }
      ok(tool('delete', `${base}/inner`, '--kill'));
    },
  },
  {
    name: 'attach moves a running process into the cgroup',
    async run() {
      ok(tool('create', `${base}/attach`));
      const sleeper = execa('sleep', ['60'], { stdio: 'ignore', reject: false });
      try {
        ok(tool('attach', `${base}/attach`, String(sleeper.pid)));
        assert.deepEqual(stats(`${base}/attach`).processes, [sleeper.pid]);
      } finally {
        sleeper.kill('SIGKILL');
        await sleeper;
      }
      await until('the sleeper to leave', () => stats(`${base}/attach`).processes.length === 0);
      ok(tool('delete', `${base}/attach`));
    },
  },
  {
    name: 'kill ends a whole process tree, children and grandchildren',
    async run() {
      ok(tool('create', `${base}/tree/inner`));
      const runner = execa(process.execPath, [cgroupToolBin, 'run', `${base}/tree/inner`, '--', 'sh', '-c', 'sleep 300 & (sleep 300 & wait) & wait'], { stdio: 'ignore', reject: false });
      await until('four processes', () => stats(`${base}/tree/inner`).processes.length >= 4);
      assert.match(ok(tool('kill', `${base}/tree`)).stdout, /killed the processes of isolab\/tool-test\/tree/);
      await until('an empty tree', () => stats(`${base}/tree/inner`).processes.length === 0);
      await runner;
      ok(tool('delete', `${base}/tree`));
    },
  },
  {
    name: 'delete refuses a tree with processes, and --kill removes it from every hierarchy',
    async run() {
      ok(tool('create', `${base}/busy/child`));
      const runner = execa(process.execPath, [cgroupToolBin, 'run', `${base}/busy/child`, '--', 'sleep', '300'], { stdio: 'ignore', reject: false });
      await until('the sleeper', () => stats(`${base}/busy/child`).processes.length === 1);
      const refused = tool('delete', `${base}/busy`);
      assert.equal(refused.code, 3);
      assert.match(refused.stderr, /still has 1 process/);
      ok(tool('delete', `${base}/busy`, '--kill'));
      await runner;
      assert.deepEqual(labCgroups().flatMap((dir) => (existsSync(join(dir, 'tool-test/busy')) ? [dir] : [])), []);
    },
  },
  {
    name: 'events reports an OOM kill as it happens',
    async run() {
      ok(tool('create', `${base}/events`));
      ok(tool('set', `${base}/events`, 'memory.max=32M', 'memory.swap.max=0'));
      const watcher = execa(process.execPath, [cgroupToolBin, 'events', `${base}/events`, '--json'], { buffer: false, reject: false });
      let output = '';
      watcher.stdout.on('data', (chunk: Buffer) => (output += chunk));
      await sleep(500);
      tool('run', `${base}/events`, '--', 'tail', '/dev/zero');
      await until('an oom_kill event', () => /"counter":"memory\.events\.oom_kill","from":0,"to":1/.test(output));
      watcher.kill('SIGINT');
      await watcher;
      ok(tool('delete', `${base}/events`, '--kill'));
    },
  },
  {
    name: 'libcgroup reads what cgroup-tool sets, and cgroup-tool reports what libcgroup sets',
    skip: () => (findOnPath('cgget', process.env) ? undefined : 'needs cgroup-tools (cgget, cgset)'),
    async run() {
      ok(tool('create', `${base}/libcg`));
      ok(tool('set', `${base}/libcg`, 'memory.max=48M', 'pids.max=9'));
      const version = stats(`${base}/libcg`).version;
      const memoryFile = version === 'v2' ? 'memory.max' : 'memory.limit_in_bytes';
      const read = runSync('cgget', ['-n', '-v', '-r', memoryFile, `/${base}/libcg`]);
      assert.equal(read.stdout.trim(), String(48 * 2 ** 20), read.stderr);
      const write = runSync('cgset', ['-r', 'pids.max=7', `/${base}/libcg`]);
      assert.equal(write.status, 0, write.stderr);
      assert.equal(stats(`${base}/libcg`).pids?.max, 7);
      ok(tool('delete', `${base}/libcg`));
    },
  },
];

/** The cgroup the refusals aim at; made before them. */
export function prepareRefusals(): void {
  ok(tool('create', `${base}/err`));
}

/** Removes what the scenarios made, and isolab/ itself if it was not there before. */
export function cleanUp(before: readonly string[]): void {
  tool('delete', base, '--kill');
  if (before.length === 0) tool('delete', 'isolab', '--kill');
}

/** Bad input and refusals: each with its message and exit code, and nothing left behind. */
export const refusals: Array<{ name: string; args: string[] | (() => ToolResult); code: number; message: RegExp; skip?: () => string | undefined }> = [
  { name: 'an unknown unit', args: ['memory-max', `${base}/err`, '50Q'], code: 2, message: /"50Q" is not a valid value/ },
  { name: 'a negative value', args: ['pids-max', `${base}/err`, '-1'], code: 2, message: /"-1" is not a valid value/ },
  { name: 'a zero memory limit', args: ['set', `${base}/err`, 'memory.max=0'], code: 2, message: /more than 0/ },
  { name: 'an overflowing size', args: ['memory-max', `${base}/err`, '99999999999T'], code: 2, message: /at most/ },
  { name: 'an unknown limit', args: ['set', `${base}/err`, 'memory.maximum=1M'], code: 2, message: /unknown limit/ },
  { name: 'a name that climbs out', args: ['create', 'isolab/../../escape'], code: 2, message: /contains "\.\."/ },
  { name: 'a filesystem path for a name', args: ['create', '/sys/fs/cgroup/isolab/x'], code: 2, message: /filesystem path/ },
  { name: 'a cgroup that does not exist', args: ['stats', `${base}/nope`], code: 2, message: /no cgroup named/ },
  { name: 'a dead pid', args: ['attach', `${base}/err`, '99999999'], code: 2, message: /no process with pid 99999999/ },
  { name: 'not a pid', args: ['attach', `${base}/err`, 'abc'], code: 2, message: /not a process id/ },
  { name: 'a name through a control file', args: ['create', `${base}/err/cgroup.procs/x`], code: 2, message: /"isolab\/tool-test\/err\/cgroup.procs" is a control file of the cgroup isolab\/tool-test\/err, not a cgroup/ },
  { name: 'a control file for a name', args: ['set', `${base}/err/cgroup.procs`, 'pids.max=5'], code: 2, message: /is a control file of the cgroup/ },
  {
    name: 'a kernel thread',
    skip: () => (/^2 \(kthreadd\)/.test(readFileSync('/proc/2/stat', 'utf8')) ? undefined : 'pid 2 is not kthreadd here'),
    args: ['attach', `${base}/err`, '2'],
    code: 3,
    message: /process 2 \(kthreadd\) is a kernel thread/,
  },
  { name: 'io limits on a device that is not a block device', args: ['io-max', `${base}/err`, '0:0', 'wbps=1M'], code: 2, message: /device 0:0 is not a block device that supports io limits/ },
  { name: 'limits on the root cgroup', args: ['set', '/', 'memory.max=1G'], code: 3, message: /will not limit, kill or remove the root cgroup/ },
  { name: 'limits on the cgroup that holds this session', args: ownCgroupLimit, code: 3, message: /holds .*your own session/ },
  {
    name: 'a controller not enabled for the cgroup (ENOENT)',
    args: () => (ok(tool('create', `${base}/nopids/x`, '--controllers', 'memory')), tool('pids-max', `${base}/nopids/x`, '5')),
    code: 3,
    message: /does not exist: the controller is not enabled/,
  },
  {
    name: 'a user without permission (EACCES)',
    skip: () => (findOnPath('setpriv', process.env) ? undefined : 'needs setpriv'),
    args: () => {
      return cliResult(runSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cgroupToolBin, 'create', `${base}/nobody`]));
    },
    code: 3,
    message: /permission denied/,
  },
  {
    name: 'a read-only cgroup filesystem (EROFS)',
    skip: () => (findOnPath('unshare', process.env) ? undefined : 'needs unshare'),
    args: () => {
      // In a private mount namespace, so the machine's own cgroup mounts stay writable.
      const script = `for m in $(awk '$9 ~ /^cgroup/ {print $5}' /proc/self/mountinfo); do mount -o remount,bind,ro "$m"; done; exec "$0" "$@"`;
      return cliResult(runSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, process.execPath, cgroupToolBin, 'create', `${base}/readonly`]));
    },
    code: 3,
    message: /read-only/,
  },
];

/**
 * Moves this test process into a lab cgroup, asks the tool to limit that cgroup's parent, and moves the process
 * back where it was in every hierarchy, whatever happens.
 */
function ownCgroupLimit(): ToolResult {
  const original = readFileSync('/proc/self/cgroup', 'utf8');
  ok(tool('create', `${base}/self/inner`));
  ok(tool('attach', `${base}/self/inner`, String(process.pid)));
  try {
    return tool('set', `${base}/self`, 'pids.max=100');
  } finally {
    const mounts = cgroupMounts(liveSystem());
    for (const line of original.split('\n').filter(Boolean)) {
      const [hierarchy, controllers, path] = line.split(':') as [string, string, string];
      const mount = hierarchy === '0'
        ? mounts.find((candidate) => candidate.fsType === 'cgroup2')
        : mounts.find((candidate) => candidate.fsType === 'cgroup' && controllers.split(',').some((controller) => candidate.superOptions.includes(controller)));
      if (!mount) continue;
      const procs = join(mount.mountPoint, path, 'cgroup.procs');
      try {
        writeFileSync(procs, String(process.pid), { flag: 'r+' });
      } catch {
        // A hierarchy the tool did not use.
      }
    }
    ok(tool('delete', `${base}/self`));
  }
}
