/**
 * 4.2 A jailer. The learner's exercises/jailer/ runs a command inside isolab/jail-<id> (memory and pids limits),
 * in new UTS/IPC/mount/net/PID namespaces, chrooted into a busybox rootfs, as an unprivileged uid. The checker
 * runs a marker `sleep 7412` in it and reads each property of that process from /proc. cgroup v2 only.
 */
import { existsSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readOwnCgroups } from '../../src/cgroup/index.js';
import { cgroup2Mount, cgroup2Path, defineChecker, killLaunched, labCgroups, namespacesOf, processRootIs, readCgroupFile, removeLabCgroup, removeLabCgroupIfEmpty, sharedWithIsolab, withLaunchedCommand, withLearnerProgram, writeSolution, type CheckContext, type CheckOutcome, type Launch } from '../../src/kit/index.js';
import { buildRootfs } from '../../src/rootfs/index.js';
import { listNames, pathExists } from '../../src/system/index.js';
import { nsPids, statusField } from '../../src/verify/index.js';

const labDir = '/tmp/isolab-lab';
const rootfs = `${labDir}/jail-rootfs`;
const jailId = 'verify';
// The jail's name is the learner's --id, so the lesson's front matter names no cgroup: this is the checker's run.
const cgroupName = `isolab/jail-${jailId}`;
const memory = 64 * 2 ** 20;
const pids = 16;
const uid = 65534;
const kinds = ['uts', 'ipc', 'mnt', 'net', 'pid'] as const;
const flag: Record<(typeof kinds)[number], string> = { uts: '--uts', ipc: '--ipc', mnt: '--mount', net: '--net', pid: '--pid' };
const byHand = `isolab exercise jailer --id demo --rootfs ${rootfs} -- sh`;

/** What the checker has the jailer run: a sleep nothing else runs, found by its command line. */
const marker = ['sleep', '7412'];
const launch: Launch = {
  args: ['--id', jailId, '--rootfs', rootfs, '--memory', String(memory), '--pids', String(pids), '--uid', String(uid), '--', ...marker],
  marker,
  what: 'the jailed command',
  byHand,
  write: 'createJailCgroup and jailArgv in exercises/jailer/jail.ts',
};

/** Compiles the jailer, runs the marker in it, hands the marker's host pid to `check`, then kills it. */
async function inJail(context: CheckContext, check: (pid: number) => CheckOutcome): Promise<CheckOutcome> {
  if (!existsSync(join(rootfs, 'bin/busybox'))) {
    return { pass: false, message: `there is no rootfs at ${rootfs}`, hint: `Build it: isolab rootfs ${rootfs} (or isolab start ${context.lesson.short}).` };
  }
  return withLearnerProgram(context, { entry: 'exercises/jailer/main.ts', name: 'the jailer', byHand }, (program) => withLaunchedCommand(context, program, launch, check));
}

const argvHint = 'jailArgv builds the whole line: unshare (namespaces, --fork), then chroot (--userspec for the uid), then the command.';

export default defineChecker({
  checks: [
    {
      id: 'cgroup',
      title: `the command runs in ${cgroupName} with memory.max ${memory} and pids.max ${pids}`,
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) =>
        inJail(context, (pid) => {
          const path = readOwnCgroups(context.system, pid)?.find((line) => line.hierarchy === 0)?.path ?? '?';
          const observed: Record<string, unknown> = { pid, cgroup: path };
          if (path !== `/${cgroupName}`) {
            return { pass: false, message: `pid ${pid} is in ${path}, not /${cgroupName}`, observed, hint: `createJailCgroup returns the directory main.ts moves the command into: ${cgroup2Path(context, cgroupName).shown}.` };
          }
          const max = readCgroupFile(context, cgroupName, 'memory.max');
          const pidsMax = readCgroupFile(context, cgroupName, 'pids.max');
          Object.assign(observed, { memoryMax: max ?? null, pidsMax: pidsMax ?? null });
          if (max === undefined || pidsMax === undefined) {
            const mount = cgroup2Mount(context).shown;
            return { pass: false, message: `${cgroupName} has no ${max === undefined ? 'memory.max' : 'pids.max'}`, observed, hint: `Enable the controllers in every parent first: "+memory +pids" into ${mount}/cgroup.subtree_control and ${mount}/isolab/cgroup.subtree_control, then mkdir the jail.` };
          }
          if (max !== String(memory) || pidsMax !== String(pids)) {
            return { pass: false, message: `${cgroupName}: memory.max ${max}, pids.max ${pidsMax}; the jailer was asked for ${memory} and ${pids}`, observed, hint: 'Write options.memory into memory.max and options.pids into pids.max.' };
          }
          return { pass: true, message: `pid ${pid} runs in /${cgroupName}: memory.max ${max}, pids.max ${pidsMax}`, observed };
        }),
    },
    {
      id: 'namespaces',
      title: 'the command runs in new UTS, IPC, mount, network and PID namespaces, as pid 1 of its own',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) =>
        inJail(context, (pid) => {
          const theirs = namespacesOf(context, pid, kinds);
          const same = sharedWithIsolab(context, pid, kinds);
          const nspid = nsPids(context.system, pid) ?? [];
          const observed = { pid, namespaces: theirs, nspid };
          if (same.length > 0) return { pass: false, message: `pid ${pid} shares isolab's ${same.join(', ')} namespace(s)`, observed, hint: `Add ${same.map((kind) => flag[kind]).join(' ')} to the unshare in jailArgv. ${argvHint}` };
          if (nspid.at(-1) !== 1) return { pass: false, message: `pid ${pid} is pid ${nspid.at(-1)} in its PID namespace, not 1 (NSpid ${nspid.join(' ')})`, observed, hint: 'unshare --pid alone leaves unshare itself outside: add --fork so the command is the first process of the new namespace.' };
          return { pass: true, message: `pid ${pid}: ${kinds.map((kind) => theirs[kind]).join(' ')}, all different from isolab's; pid 1 inside`, observed };
        }),
    },
    {
      id: 'chroot',
      title: `its root directory is ${rootfs}`,
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) =>
        inJail(context, (pid) => {
          if (!processRootIs(context, pid, rootfs)) {
            return { pass: false, message: `/proc/${pid}/root is not ${rootfs}: the command sees the host's /`, observed: { pid }, hint: `chroot ${rootfs} before the command, in jailArgv. ${argvHint}` };
          }
          const inode = statSync(join(rootfs, 'bin/busybox')).ino;
          return { pass: true, message: `/proc/${pid}/root/bin/busybox is ${rootfs}/bin/busybox (inode ${inode})`, observed: { pid, inode } };
        }),
    },
    {
      id: 'uid',
      title: `it runs as uid and gid ${uid}, with no capabilities`,
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) =>
        inJail(context, (pid) => {
          const field = (name: string) => statusField(context.system, pid, name) ?? '';
          const uids = field('Uid').split(/\s+/);
          const gids = field('Gid').split(/\s+/);
          const observed = { pid, uid: field('Uid'), gid: field('Gid'), groups: field('Groups'), capEff: field('CapEff') };
          if (uids.some((value) => value !== String(uid)) || gids.some((value) => value !== String(uid))) {
            return { pass: false, message: `pid ${pid} runs as uid ${uids.join('/')} gid ${gids.join('/')} (real/effective/saved/fs)`, observed, hint: `chroot --userspec=${uid}:${uid} changes uid and gid after the chroot (setpriv cannot: it is not in the busybox rootfs, and chroot after dropping root is refused).` };
          }
          if (observed.groups !== '') return { pass: false, message: `pid ${pid} keeps supplementary groups ${observed.groups}`, observed, hint: 'Drop them: chroot --groups= (empty).' };
          if (!/^0+$/.test(observed.capEff)) return { pass: false, message: `pid ${pid} still has capabilities (CapEff ${observed.capEff})`, observed, hint: 'A uid other than 0 has none unless something kept them (ambient capabilities): do not add any.' };
          return { pass: true, message: `pid ${pid}: uid ${uids[0]}, gid ${gids[0]}, no supplementary groups, CapEff ${observed.capEff}`, observed };
        }),
    },
  ],

  async setup() {
    if (!existsSync(join(rootfs, 'bin/busybox'))) buildRootfs(rootfs, { force: existsSync(rootfs) });
  },

  async cleanup(context) {
    await killLaunched(context, marker);
    // Every jail, the checker's and those a learner ran by hand (--id demo).
    const cgroups = labCgroups(context);
    const jails = (cgroups.backend.exists('isolab') ? cgroups.children('isolab') : []).filter((name) => name.startsWith('isolab/jail-'));
    for (const name of jails) await removeLabCgroup(context, name);
    await removeLabCgroupIfEmpty(context, 'isolab');
    rmSync(rootfs, { recursive: true, force: true });
    // Other lessons' lab files may live there too.
    if (pathExists(labDir) && listNames(labDir).length === 0) rmdirSync(labDir);
  },

  async solution(context) {
    writeSolution(context, { from: 'checkers/04-sandboxes/solutions/jailer', to: 'exercises/jailer', files: ['jail.ts'] });
  },
});
