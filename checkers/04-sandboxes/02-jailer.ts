/**
 * 4.2 A jailer. The learner's exercises/jailer/ runs a command inside isolab/jail-<id> (memory and pids limits),
 * in new UTS/IPC/mount/net/PID namespaces, chrooted into a busybox rootfs, as an unprivileged uid. The checker
 * runs `sleep 7412` in it and reads each property of that process from /proc. cgroup v2 only.
 */
import { existsSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CgroupManager } from '../../src/cgroup/index.js';
import { buildRootfs } from '../../src/rootfs/index.js';
import { liveSystem, readTrimmed } from '../../src/system/index.js';
import { defineChecker, killProcesses, namespaceOf, processesRunning, type CheckContext, type CheckOutcome, type ExecResult } from '../../src/verify/index.js';
import { waitFor, withProgram, writeSolution } from './lib/compiled.js';

const dir = 'jailer';
const entry = `exercises/${dir}/main.ts`;
const labDir = '/tmp/isolab-lab';
const rootfs = `${labDir}/jail-rootfs`;
const jailId = 'verify';
const cgroupName = `isolab/jail-${jailId}`;
const memory = 64 * 2 ** 20;
const pids = 16;
const uid = 65534;
const marker = '7412';
const kinds = ['uts', 'ipc', 'mnt', 'net', 'pid'] as const;
const flag: Record<(typeof kinds)[number], string> = { uts: '--uts', ipc: '--ipc', mnt: '--mount', net: '--net', pid: '--pid' };

/** The marker `sleep` inside the container: busybox's sleep cannot be renamed, so it is found by its arguments. */
const markerPids = () => processesRunning(liveSystem(), 'sleep', [marker]).map((entry) => entry.pid);

// SIGKILL (by killProcesses): the sleep is pid 1 of its PID namespace, and ignores SIGTERM sent from outside.
const killMarkers = async () => void (await killProcesses(liveSystem(), markerPids()));

function explain(result: ExecResult | undefined): { message: string; hint: string } {
  const byHand = `isolab exercise jailer --id demo --rootfs ${rootfs} -- sh`;
  if (!result) return { message: 'the jailed command did not start within 15 s', hint: `Run it by hand: ${byHand}` };
  const said = (result.stderr || result.stdout).trim().split('\n').filter(Boolean).pop() ?? '';
  const todo = /TODO\(4\.2\): (.*)/.exec(said);
  if (todo) return { message: `not written yet: TODO(4.2): ${todo[1]}`, hint: 'Write createJailCgroup and jailArgv in exercises/jailer/jail.ts.' };
  return { message: `the jailer exited ${result.exitCode} before the command ran: ${said || '(no output)'}`, hint: `Run it by hand and read the first error: ${byHand}` };
}

/** Compiles the jailer, runs `sleep 7412` in it, hands the sleep's host pid to `check`, then kills it. */
async function inJail(context: CheckContext, check: (pid: number) => CheckOutcome): Promise<CheckOutcome> {
  if (!existsSync(join(rootfs, 'bin/busybox'))) {
    return { pass: false, message: `there is no rootfs at ${rootfs}`, hint: `Build it: isolab rootfs ${rootfs} (or isolab start 4.2).` };
  }
  return withProgram(context, entry, async (program) => {
    await killMarkers();
    let finished: ExecResult | undefined;
    const args = ['--id', jailId, '--rootfs', rootfs, '--memory', String(memory), '--pids', String(pids), '--uid', String(uid), '--', 'sleep', marker];
    const running = program.run(args, 30_000).then((result) => (finished = result));
    try {
      const pid = await waitFor(context, 'the jail', () => markerPids()[0] ?? (finished ? -1 : undefined), 15_000).catch(() => undefined);
      if (pid === undefined || pid === -1) return { pass: false, ...explain(finished), observed: { exitCode: finished?.exitCode ?? null } };
      return check(pid);
    } finally {
      await killMarkers();
      await running;
    }
  });
}

function status(pid: number): Record<string, string> {
  return Object.fromEntries(
    readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
  );
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
          const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').find((entry) => entry.startsWith('0::'));
          const path = line?.slice(3) ?? '?';
          const observed: Record<string, unknown> = { pid, cgroup: path };
          if (path !== `/${cgroupName}`) {
            return { pass: false, message: `pid ${pid} is in ${path}, not /${cgroupName}`, observed, hint: `createJailCgroup returns the directory main.ts moves the command into: /sys/fs/cgroup/${cgroupName}.` };
          }
          const cgdir = join('/sys/fs/cgroup', cgroupName);
          const max = readTrimmed(join(cgdir, 'memory.max'));
          const pidsMax = readTrimmed(join(cgdir, 'pids.max'));
          Object.assign(observed, { memoryMax: max ?? null, pidsMax: pidsMax ?? null });
          if (max === undefined || pidsMax === undefined) {
            return { pass: false, message: `${cgroupName} has no ${max === undefined ? 'memory.max' : 'pids.max'}`, observed, hint: 'Enable the controllers in every parent first: "+memory +pids" into /sys/fs/cgroup/cgroup.subtree_control and /sys/fs/cgroup/isolab/cgroup.subtree_control, then mkdir the jail.' };
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
          const theirs = Object.fromEntries(kinds.map((kind) => [kind, namespaceOf(context.system, pid, kind) ?? null]));
          const same = kinds.filter((kind) => theirs[kind] === namespaceOf(context.system, 'self', kind));
          const nspid = (status(pid).NSpid ?? '').split(/\s+/);
          const observed = { pid, namespaces: theirs, nspid };
          if (same.length > 0) return { pass: false, message: `pid ${pid} shares isolab's ${same.join(', ')} namespace(s)`, observed, hint: `Add ${same.map((kind) => flag[kind]).join(' ')} to the unshare in jailArgv. ${argvHint}` };
          if (nspid.at(-1) !== '1') return { pass: false, message: `pid ${pid} is pid ${nspid.at(-1)} in its PID namespace, not 1 (NSpid ${nspid.join(' ')})`, observed, hint: 'unshare --pid alone leaves unshare itself outside: add --fork so the command is the first process of the new namespace.' };
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
          const ours = statSync(join(rootfs, 'bin/busybox'));
          let theirs: ReturnType<typeof statSync> | undefined;
          try {
            theirs = statSync(`/proc/${pid}/root/bin/busybox`);
          } catch {
            theirs = undefined;
          }
          if (!theirs || theirs.ino !== ours.ino || theirs.dev !== ours.dev) {
            return { pass: false, message: `/proc/${pid}/root is not ${rootfs}: the command sees the host's /`, observed: { pid }, hint: `chroot ${rootfs} before the command, in jailArgv. ${argvHint}` };
          }
          return { pass: true, message: `/proc/${pid}/root/bin/busybox is ${rootfs}/bin/busybox (inode ${ours.ino})`, observed: { pid, inode: ours.ino } };
        }),
    },
    {
      id: 'uid',
      title: `it runs as uid and gid ${uid}, with no capabilities`,
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) =>
        inJail(context, (pid) => {
          const s = status(pid);
          const uids = (s.Uid ?? '').split(/\s+/);
          const gids = (s.Gid ?? '').split(/\s+/);
          const observed = { pid, uid: s.Uid, gid: s.Gid, groups: s.Groups, capEff: s.CapEff };
          if (uids.some((value) => value !== String(uid)) || gids.some((value) => value !== String(uid))) {
            return { pass: false, message: `pid ${pid} runs as uid ${uids.join('/')} gid ${gids.join('/')} (real/effective/saved/fs)`, observed, hint: `chroot --userspec=${uid}:${uid} changes uid and gid after the chroot (setpriv cannot: it is not in the busybox rootfs, and chroot after dropping root is refused).` };
          }
          if ((s.Groups ?? '').trim() !== '') return { pass: false, message: `pid ${pid} keeps supplementary groups ${s.Groups}`, observed, hint: 'Drop them: chroot --groups= (empty).' };
          if (!/^0+$/.test(s.CapEff ?? '')) return { pass: false, message: `pid ${pid} still has capabilities (CapEff ${s.CapEff})`, observed, hint: 'A uid other than 0 has none unless something kept them (ambient capabilities): do not add any.' };
          return { pass: true, message: `pid ${pid}: uid ${uids[0]}, gid ${gids[0]}, no supplementary groups, CapEff ${s.CapEff}`, observed };
        }),
    },
  ],

  async setup() {
    if (!existsSync(join(rootfs, 'bin/busybox'))) buildRootfs(rootfs, { force: existsSync(rootfs) });
  },

  async cleanup() {
    await killMarkers();
    const manager = new CgroupManager();
    for (const name of manager.backend.exists('isolab') ? manager.children('isolab') : []) {
      if (name.startsWith('isolab/jail-')) await manager.delete(name, { kill: true });
    }
    try {
      rmdirSync('/sys/fs/cgroup/isolab');
    } catch {
      // another lesson's cgroups, or none
    }
    rmSync(rootfs, { recursive: true, force: true });
    try {
      rmdirSync(labDir);
    } catch {
      // not empty (another lesson's) or already gone
    }
  },

  async solution(context) {
    writeSolution(context, dir, ['jail.ts']);
  },
});
