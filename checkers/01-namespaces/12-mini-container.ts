import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { hostname as hostName } from 'node:os';
import { join } from 'node:path';
import { buildRootfs } from '../../src/rootfs/index.js';
import { defineChecker, inNamespacesOf, killLabProcesses, killLaunched, namespacesOf, processRootIs, removeEmptyDirs, sharedWithIsolab, systemPath, unmountUnder, withLaunchedCommand, withLearnerProgram, writeSolution, type CheckContext, type CheckOutcome, type Launch } from '../../src/kit/index.js';
import { listProcesses, nsPids } from '../../src/verify/index.js';

const labDir = '/tmp/isolab-lab';
const rootfs = `${labDir}/rootfs`;
const wanted = 'isolab-mini';
const program = { entry: 'exercises/mini-container/main.ts', name: 'mini-container', byHand: `isolab exercise mini-container ${rootfs} ${wanted} sh` };
const kinds = ['uts', 'pid', 'mnt', 'ipc', 'net'] as const;
/** The command the checker has the launcher run: a sleep with an argument nothing else uses, so it can be found. */
const marker = ['sleep', '7411'];
const launch: Launch = {
  args: [rootfs, wanted, ...marker],
  marker,
  what: 'the container',
  byHand: program.byHand,
  write: 'namespaceFlags and insideScript in exercises/mini-container/container.ts',
  ended(result) {
    const forkFailed = /.*fork: Cannot allocate memory.*/.exec(`${result.stderr}\n${result.stdout}`)?.[0];
    if (!forkFailed) return undefined;
    return { message: `the launcher exited ${result.exitCode}: ${forkFailed.trim()}`, hint: 'The new PID namespace died with its first process: add --fork to namespaceFlags, so the script itself is its pid 1.' };
  },
};

/**
 * Every process of a container of this lesson, the learner's own (`sleep 300` in step 4) too: those whose root
 * directory is the rootfs (its busybox, never the host's). The launcher's pid 1 is among them, and killing it
 * ends its PID namespace.
 */
const containerPids = (context: CheckContext) => listProcesses(context.system).map((entry) => entry.pid).filter((pid) => processRootIs(context, pid, rootfs));

/** Compiles the launcher, runs the marker sleep in it and hands the sleep's host pid to `check`. */
async function inContainer(context: CheckContext, check: (pid: number) => Promise<CheckOutcome> | CheckOutcome): Promise<CheckOutcome> {
  if (!existsSync(join(rootfs, 'bin/busybox'))) return { pass: false, message: `there is no rootfs at ${rootfs}`, observed: { rootfs: null }, hint: `Build it: \`isolab rootfs ${rootfs}\` (or \`isolab start 1.12\`).` };
  return withLearnerProgram(context, program, (launcher) => withLaunchedCommand(context, launcher, launch, check));
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
          const theirs = namespacesOf(context, pid, kinds);
          const same = sharedWithIsolab(context, pid, kinds);
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
          if (!processRootIs(context, pid, rootfs)) return { pass: false, message: `/proc/${pid}/root/bin/busybox is not ${rootfs}/bin/busybox: the command still sees the host's /`, observed: { pid }, hint: 'pivot_root into the rootfs (after bind-mounting it onto itself, so it is a mount point), then cd /.' };
          if (existsSync(systemPath(context, `/proc/${pid}/root/.oldroot/proc`))) return { pass: false, message: `the host's root is still reachable inside, under /.oldroot`, observed: { pid }, hint: 'After pivot_root, detach the old root: umount -l /.oldroot, then rmdir it.' };
          const inode = statSync(join(rootfs, 'bin/busybox')).ino;
          return { pass: true, message: `/proc/${pid}/root/bin/busybox is ${rootfs}/bin/busybox (inode ${inode}); no old root left`, observed: { pid, inode } };
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
            entries = readdirSync(systemPath(context, `/proc/${pid}/root/proc`)).filter((name) => /^\d+$/.test(name));
          } catch (error) {
            return { pass: false, message: `cannot list /proc inside: ${(error as Error).message}`, observed: { pid }, hint: 'Mount a fresh proc after pivot_root: mount -t proc proc /proc.' };
          }
          const nspid = nsPids(context.system, pid) ?? [];
          if (entries.length === 0) return { pass: false, message: '/proc inside is empty: nothing is mounted there', observed: { pid }, hint: 'Mount a fresh proc after pivot_root: mount -t proc proc /proc.' };
          if (entries.length <= 3 && entries.includes('1') && nspid.at(-1) === 1) return { pass: true, message: `/proc inside lists pids ${entries.join(' ')}; the command is pid 1 there (NSpid ${nspid.join(' ')})`, observed: { pid, entries, nspid } };
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
          const name = (await inNamespacesOf(context, pid, ['-u'], ['hostname'])).stdout ?? '';
          if (name === wanted && hostName() !== wanted) return { pass: true, message: `nsenter -t ${pid} -u hostname says ${wanted}`, observed: { hostname: name } };
          return { pass: false, message: `inside, the hostname is ${name || '(unreadable)'}`, observed: { hostname: name || null, host: hostName() }, hint: 'Set it in the script, inside the new UTS namespace: hostname "$name" before exec.' };
        }),
    },
  ],

  async setup() {
    if (!existsSync(join(rootfs, 'bin/busybox'))) buildRootfs(rootfs, { force: existsSync(rootfs) });
  },

  async cleanup(context) {
    await killLaunched(context, marker);
    await killLabProcesses(context, containerPids(context));
    // A script that forgot `mount --make-rprivate /` leaks its bind mount to the host: take it off before rm.
    await unmountUnder(context, rootfs, { lazy: true });
    rmSync(rootfs, { recursive: true, force: true });
    removeEmptyDirs([labDir]);
  },

  async solution(context) {
    writeSolution(context, { from: 'checkers/01-namespaces/solutions/mini-container', to: 'exercises/mini-container', files: ['container.ts'] });
  },
});
