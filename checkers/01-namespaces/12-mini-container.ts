import { copyFileSync, existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { hostname as hostName } from 'node:os';
import { join } from 'node:path';
import { buildRootfs } from '../../src/rootfs/index.js';
import { liveSystem, packageRoot } from '../../src/system/index.js';
import { compileExercise, defineChecker, killProcesses, LearnerCodeError, listProcesses, namespaceOf, processesRunning, type CheckContext, type CheckOutcome, type CompiledProgram, type ExecResult } from '../../src/verify/index.js';
import { waitFor } from './lab-process.js';

const entry = 'exercises/mini-container/main.ts';
const labDir = '/tmp/isolab-lab';
const rootfs = `${labDir}/rootfs`;
const wanted = 'isolab-mini';
/** The marker command: a sleep with an argument nothing else uses, so the checker can find it. */
const marker = '7411';
const kinds = ['uts', 'pid', 'mnt', 'ipc', 'net'] as const;

/** The marker `sleep` inside the container: busybox's sleep cannot be renamed, so it is found by its arguments. */
const markerPids = () => processesRunning(liveSystem(), 'sleep', [marker]).map((entry) => entry.pid);

// SIGKILL (by killProcesses): the sleep is pid 1 of its PID namespace, and ignores SIGTERM sent from outside.
const killMarkers = async () => void (await killProcesses(liveSystem(), markerPids()));

/**
 * Every process of a container of this lesson, the learner's own (`sleep 300` in step 4) too: those whose root
 * directory holds the rootfs's busybox, the same inode on the same device (the rootfs has a copy, never the
 * host's). The launcher's pid 1 is among them, and killing it ends its PID namespace.
 */
function containerPids(): number[] {
  let ours: ReturnType<typeof statSync>;
  try {
    ours = statSync(join(rootfs, 'bin/busybox'));
  } catch {
    return [];
  }
  return listProcesses(liveSystem()).map((entry) => entry.pid).filter((pid) => {
    try {
      const theirs = statSync(`/proc/${pid}/root/bin/busybox`);
      return theirs.ino === ours.ino && theirs.dev === ours.dev;
    } catch {
      return false;
    }
  });
}

function explain(result: ExecResult | undefined): { message: string; hint: string } {
  if (!result) return { message: 'the container did not start within 15 s', hint: `Run it by hand: isolab exercise mini-container ${rootfs} ${wanted} sh` };
  const said = (result.stderr || result.stdout).trim().split('\n').filter(Boolean).pop() ?? '';
  if (/TODO\(/.test(said)) return { message: `not written yet (${said.replace(/^mini-container: /, '')})`, hint: 'Write namespaceFlags and insideScript in exercises/mini-container/container.ts.' };
  if (/fork: Cannot allocate memory/.test(said)) return { message: `the launcher exited ${result.exitCode}: ${said}`, hint: 'The new PID namespace died with its first process: add --fork to namespaceFlags, so the script itself is its pid 1.' };
  return { message: `the launcher exited ${result.exitCode} before the command ran: ${said || '(no output)'}`, hint: `Run it by hand and read the first error: isolab exercise mini-container ${rootfs} ${wanted} sh` };
}

/** Compiles the launcher, runs `sleep 7411` in it, hands the sleep's host pid to `check`, then kills it. */
async function inContainer(context: CheckContext, check: (pid: number, output: () => string) => Promise<CheckOutcome> | CheckOutcome): Promise<CheckOutcome> {
  if (!existsSync(join(rootfs, 'bin/busybox'))) {
    return { pass: false, message: `there is no rootfs at ${rootfs}`, observed: { rootfs: null }, hint: `Build it: \`isolab rootfs ${rootfs}\` (or \`isolab start 1.12\`).` };
  }
  let tool: CompiledProgram;
  try {
    tool = await compileExercise(context, entry);
  } catch (error) {
    if (!(error instanceof LearnerCodeError)) throw error;
    return { pass: false, message: `mini-container does not compile: ${error.message}`, hint: 'Fix the error esbuild names (file and line), then verify again.' };
  }
  await killMarkers();
  let finished: ExecResult | undefined;
  const running = tool.run([rootfs, wanted, 'sh', '-c', `echo "procs: $(ls /proc | grep '^[0-9]' | tr '\\n' ' ')"; exec sleep ${marker}`], 30_000).then((result) => (finished = result));
  try {
    const pid = await waitFor(context, 'the container', () => markerPids()[0] ?? (finished ? -1 : undefined), 15_000).catch(() => undefined);
    if (pid === undefined || pid === -1) return { pass: false, ...explain(finished), observed: { exitCode: finished?.exitCode ?? null } };
    return await check(pid, () => finished?.stdout ?? '');
  } finally {
    await killMarkers();
    await running;
    tool.dispose();
  }
}

export default defineChecker({
  checks: [
    {
      id: 'namespaces',
      title: 'the command runs in new UTS, PID, mount, IPC and network namespaces',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) =>
        inContainer(context, (pid) => {
          const theirs = Object.fromEntries(kinds.map((kind) => [kind, namespaceOf(context.system, pid, kind) ?? null]));
          const same = kinds.filter((kind) => theirs[kind] === namespaceOf(context.system, 'self', kind));
          if (same.length === 0) return { pass: true, message: `pid ${pid}: ${kinds.map((kind) => theirs[kind]).join(' ')}, all different from isolab's`, observed: { pid, namespaces: theirs } };
          const flag = { uts: '--uts', pid: '--pid', mnt: '--mount', ipc: '--ipc', net: '--net' };
          return { pass: false, message: `pid ${pid} shares isolab's ${same.join(', ')} namespace(s)`, observed: { pid, namespaces: theirs, same }, hint: `Add ${same.map((kind) => flag[kind]).join(' ')} to namespaceFlags.` };
        }),
    },
    {
      id: 'root',
      title: `its root directory is the rootfs in ${rootfs}`,
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) =>
        inContainer(context, (pid) => {
          const ours = statSync(join(rootfs, 'bin/busybox'));
          let theirs: ReturnType<typeof statSync> | undefined;
          try {
            theirs = statSync(`/proc/${pid}/root/bin/busybox`);
          } catch {
            theirs = undefined;
          }
          const oldRoot = existsSync(`/proc/${pid}/root/.oldroot/proc`);
          if (!theirs || theirs.ino !== ours.ino || theirs.dev !== ours.dev) {
            return { pass: false, message: `/proc/${pid}/root/bin/busybox is not ${rootfs}/bin/busybox: the command still sees the host's /`, observed: { pid }, hint: 'pivot_root into the rootfs (after bind-mounting it onto itself, so it is a mount point), then cd /.' };
          }
          if (oldRoot) return { pass: false, message: `the host's root is still reachable inside, under /.oldroot`, observed: { pid }, hint: 'After pivot_root, detach the old root: umount -l /.oldroot, then rmdir it.' };
          return { pass: true, message: `/proc/${pid}/root/bin/busybox is ${rootfs}/bin/busybox (inode ${ours.ino}); no old root left`, observed: { pid, inode: ours.ino } };
        }),
    },
    {
      id: 'proc',
      title: '/proc inside shows only the container\'s processes',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) =>
        inContainer(context, (pid) => {
          let entries: string[];
          try {
            entries = readdirSync(`/proc/${pid}/root/proc`).filter((name) => /^\d+$/.test(name));
          } catch (error) {
            return { pass: false, message: `cannot list /proc inside: ${(error as Error).message}`, observed: { pid }, hint: 'Mount a fresh proc after pivot_root: mount -t proc proc /proc.' };
          }
          const nspid = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]?.trim().split(/\s+/) ?? [];
          if (entries.length === 0) return { pass: false, message: '/proc inside is empty: nothing is mounted there', observed: { pid }, hint: 'Mount a fresh proc after pivot_root: mount -t proc proc /proc.' };
          if (entries.length <= 3 && entries.includes('1') && nspid.at(-1) === '1') {
            return { pass: true, message: `/proc inside lists pids ${entries.join(' ')}; the command is pid 1 there (NSpid ${nspid.join(' ')})`, observed: { pid, entries, nspid } };
          }
          return {
            pass: false,
            message: `/proc inside lists ${entries.length} processes (${entries.slice(0, 5).join(' ')}…); the command's NSpid is ${nspid.join(' ')}`,
            observed: { pid, count: entries.length, nspid },
            hint: nspid.length < 2 ? 'It is not in a new PID namespace: add --pid (and --fork) to namespaceFlags.' : 'That is a proc of another PID namespace: without --fork, the script itself is not in the new one when it mounts proc. Add --fork.',
          };
        }),
    },
    {
      id: 'hostname',
      title: `its hostname is ${wanted}`,
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) =>
        inContainer(context, async (pid) => {
          const result = await context.exec('nsenter', ['-t', String(pid), '-u', 'hostname'], { timeoutMs: 5_000 });
          const name = result.stdout.trim();
          if (name === wanted && hostName() !== wanted) return { pass: true, message: `nsenter -t ${pid} -u hostname says ${wanted}`, observed: { hostname: name } };
          return { pass: false, message: `inside, the hostname is ${name || '(unreadable)'}`, observed: { hostname: name || null, host: hostName() }, hint: 'Set it in the script, inside the new UTS namespace: hostname "$name" before exec.' };
        }),
    },
  ],

  async setup() {
    if (!existsSync(join(rootfs, 'bin/busybox'))) buildRootfs(rootfs, { force: existsSync(rootfs) });
  },

  async cleanup(context) {
    await killMarkers();
    await killProcesses(liveSystem(), containerPids());
    // A script that forgot `mount --make-rprivate /` leaks its bind mount to the host: take it off before rm.
    const leaked = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((line) => line.split(' ')[4]).filter((point): point is string => !!point && point.startsWith(rootfs));
    for (const point of leaked.reverse()) await context.exec('umount', ['-l', point], { timeoutMs: 5_000 });
    rmSync(rootfs, { recursive: true, force: true });
    try {
      rmdirSync(labDir);
    } catch {
      // not empty (another lesson's) or already gone
    }
  },

  async solution(context) {
    copyFileSync(join(packageRoot(), 'checkers/01-namespaces/solutions/mini-container/container.ts'), join(context.workspace, 'exercises/mini-container/container.ts'));
  },
});
