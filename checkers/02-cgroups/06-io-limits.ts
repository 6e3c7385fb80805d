/**
 * 2.6 IO: io.max on a loop device. The learner makes a file-backed loop device, limits the lesson cgroup's writes
 * to it, and writes to it with direct I/O from inside. The checks read sysfs and the cgroup's io files; the last
 * one times a short direct write of its own inside the cgroup (blk-throttle, cgroup-v2.rst "IO Interface Files").
 */
import { existsSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cgroup2Path, commandOutput, defineChecker, detachLoopDevices, failCheck, labCgroup, labLoopDevices, loopDevices, readCgroupFile, readCgroupNestedKeyed, removeLessonCgroup, runInCgroup, systemPath, type CheckContext, type LoopDevice } from '../../src/kit/index.js';
import { listNames, packageRoot, pathExists, readMountInfo } from '../../src/system/index.js';

const labDir = '/tmp/isolab-lab';
const backingFile = `${labDir}/disk.img`;
/** What the lesson and the solution use: 1 MiB/s. */
const solutionWbps = '1M';

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MiB`;

/** The lab's loop devices; none is a failed check that says how to make one. */
function labLoops(context: CheckContext): LoopDevice[] {
  const loops = labLoopDevices(context);
  if (loops.length > 0) return loops;
  const make = 'truncate -s 64M /tmp/isolab-lab/disk.img && losetup --find --show /tmp/isolab-lab/disk.img';
  const others = loopDevices(context).map((loop) => `${loop.name} → ${loop.backingFile}`);
  const elsewhere = others.length > 0 ? `Loop devices here are backed by other files (${others.slice(0, 3).join(', ')}). ` : '';
  const noDriver = !pathExists(systemPath(context, '/dev/loop-control'));
  const hint = noDriver ? `This kernel has no /dev/loop-control: load the loop driver (modprobe loop), then make the disk: ${make}` : `${elsewhere}Make one backed by a file of the lab: mkdir -p /tmp/isolab-lab && ${make}`;
  failCheck({ message: 'no loop device is backed by a file under /tmp/isolab-lab', hint });
}

/**
 * The lab loop device whose writes the lesson cgroup's io.max limits, and the limit; else the check fails saying
 * why, its hint after `before` (what the calling check needs first).
 */
function findLimit(context: CheckContext, before = ''): { loop: LoopDevice; wbps: number } {
  const fail: (failure: { message: string; hint: string; observed?: Record<string, unknown> }) => never = (failure) => failCheck({ ...failure, hint: `${before}${failure.hint}` });
  const loops = labLoops(context);
  const name = labCgroup(context);
  const { shown } = cgroup2Path(context, name);
  const example = `cgroup-tool io-max ${name} ${loops[0]!.device} wbps=${solutionWbps}`;
  if (readCgroupFile(context, name, 'cgroup.procs') === undefined) fail({ message: `${shown} does not exist`, hint: `Create it (cgroup-tool enables io in its parents): cgroup-tool create ${name}` });
  const ioMax = readCgroupFile(context, name, 'io.max');
  if (ioMax === undefined) {
    fail({
      message: `${shown} has no io.max file`,
      observed: { parentSubtreeControl: readCgroupFile(context, name, '../cgroup.subtree_control') ?? '' },
      hint: `The kernel makes io.* files only when the parent enables io: echo +io > ${join(shown, '..')}/cgroup.subtree_control (or delete the cgroup and run cgroup-tool create ${name} again).`,
    });
  }
  const lines = readCgroupNestedKeyed(context, name, 'io.max');
  const observed = { ioMax, loopDevices: loops.map((loop) => `${loop.name} (${loop.device}) → ${loop.backingFile}`) };
  if (lines.length === 0) fail({ message: `${shown}/io.max is empty: no device is limited`, observed, hint: `Limit writes to your loop device: ${example}` });
  const ours = lines.filter((line) => loops.some((loop) => loop.device === line.key));
  if (ours.length === 0) {
    fail({
      message: `${shown}/io.max limits ${lines.map((line) => line.key).join(', ')}, which ${lines.length === 1 ? 'is' : 'are'} not a loop device of the lab (${loops.map((loop) => `${loop.name} is ${loop.device}`).join(', ')})`,
      observed,
      hint: `io.max names a device by major:minor (cat /sys/class/block/${loops[0]!.name}/dev): ${example}`,
    });
  }
  const limited = ours.find((line) => line.values.wbps !== undefined && line.values.wbps !== 'max');
  if (!limited) fail({ message: `${shown}/io.max names ${ours[0]!.key} but leaves writes unlimited (wbps=${ours[0]!.values.wbps ?? 'max'})`, observed, hint: `rbps and riops limit reads; writes need wbps: ${example}` });
  const wbps = Number(limited.values.wbps);
  // io.max has no units: the kernel reads the digits and drops the rest (block/blk-throttle.c tg_set_limit,
  // sscanf "%llu"), so `wbps=4M` by hand is 4 bytes/s, a limit no write of the lesson gets through.
  if (wbps < 1024) {
    fail({
      message: `${shown}/io.max limits writes to ${limited.key} to ${wbps} bytes per second`,
      observed: { ...observed, wbps },
      hint: `io.max has no units: the kernel reads the digits and drops a suffix, so wbps=${wbps}M written by hand means ${wbps} bytes/s. Write bytes: echo "${limited.key} wbps=1048576" > ${shown}/io.max, or ${example}, which converts.`,
    });
  }
  return { loop: loops.find((loop) => loop.device === limited.key)!, wbps };
}

/** Bytes written to a device by the lesson cgroup (and its children), from io.stat, and io.stat's line for it. */
function writtenBytes(context: CheckContext, device: string): { wbytes: number; line: string | undefined } {
  const line = readCgroupNestedKeyed(context, labCgroup(context), 'io.stat').find((entry) => entry.key === device);
  return { wbytes: Number(line?.values.wbytes ?? 0), line: line?.line };
}

async function checkStat(context: CheckContext) {
  const found = findLimit(context, 'Limit first, then write. ');
  const { wbytes, line } = writtenBytes(context, found.loop.device);
  const name = labCgroup(context);
  const { shown } = cgroup2Path(context, name);
  const write = `cgroup-tool run ${name} -- dd if=/dev/zero of=/dev/${found.loop.name} bs=1M count=4 oflag=direct`;
  // No line: nothing in the cgroup touched the device; a line without bytes: the writes are still in the page cache.
  if (wbytes === 0) {
    return {
      pass: false,
      message: line ? `${shown}/io.stat reads "${line}": no bytes written` : `${shown}/io.stat has no line for ${found.loop.device}: nothing in ${name} has done I/O on /dev/${found.loop.name}`,
      observed: { ioStat: line ?? readCgroupFile(context, name, 'io.stat') ?? '' },
      hint: line ? `Buffered writes wait in the page cache, and io.stat counts them only when they reach the device (sync pushes them out). Write past the cache: ${write}` : `Write from inside the cgroup, past the page cache: ${write}`,
    };
  }
  return { pass: true, message: `${shown}/io.stat reads "${line}": ${mib(wbytes)} written from inside ${name}`, observed: { ioStat: line, wbytes } };
}

/**
 * Times a direct write inside the lesson cgroup, sized to take about two seconds at the limit. It runs only once
 * the learner's own write is in io.stat, so it never supplies the evidence the previous check looks for.
 */
async function checkBounded(context: CheckContext) {
  const found = findLimit(context, 'Nothing to measure yet. ');
  const name = labCgroup(context);
  if (writtenBytes(context, found.loop.device).wbytes === 0) {
    return { pass: false, message: `nothing in ${name} has written to /dev/${found.loop.name} yet`, hint: 'Do your own write first (Step 4); this check then times one of its own.' };
  }
  // The timed write goes to the raw device: never under a mounted filesystem.
  const mounted = readMountInfo(context.system.proc).find((mount) => mount.source === `/dev/${found.loop.name}`);
  if (mounted) {
    return {
      pass: false,
      message: `/dev/${found.loop.name} is mounted on ${mounted.mountPoint}, and this check writes raw blocks to it`,
      hint: `Unmount it first (umount ${mounted.mountPoint}): the lesson uses the loop device as a bare disk.`,
    };
  }
  const blockSize = found.wbps < 128 * 1024 ? 4096 : 65536;
  const count = Math.max(1, Math.min(Math.floor((2 * found.wbps) / blockSize), (8 * 2 ** 20) / blockSize));
  const bytes = count * blockSize;
  const expected = bytes / found.wbps;
  // Under a second is too fast to tell from an unlimited write; over fifteen too slow to time here.
  if (expected < 1 || expected > 15) {
    const tooFast = expected < 1;
    return {
      pass: false,
      message: tooFast ? `the limit (${mib(found.wbps)}/s) lets ${mib(bytes)} through in ${expected.toFixed(2)} s: too fast to tell from an unlimited write` : `the limit (${found.wbps} bytes/s) lets even ${bytes} bytes through only in ${expected.toFixed(0)} s: too slow to time here`,
      observed: { wbps: found.wbps },
      hint: `${tooFast ? 'Use a limit the eye can see' : "Use the lesson's limit"}: cgroup-tool io-max ${name} ${found.loop.device} wbps=${solutionWbps}`,
    };
  }
  const dd = ['if=/dev/zero', `of=/dev/${found.loop.name}`, `bs=${blockSize}`, `count=${count}`, 'oflag=direct'];
  const run = await runInCgroup(context, cgroup2Path(context, name).dir, 'env', ['LC_ALL=C', 'dd', ...dd], Math.ceil(expected * 4 + 10) * 1000);
  // dd: "2097152 bytes (2.1 MB, 2.0 MiB) copied, 2.00061 s, 1.0 MB/s"
  const seconds = Number(/copied, ([\d.]+) s/.exec(run.stderr)?.[1] ?? NaN);
  if (run.exitCode !== 0 || !Number.isFinite(seconds)) {
    return { pass: false, message: `the timed write to /dev/${found.loop.name} failed: ${(run.stderr || run.spawnError || `exit ${run.exitCode}`).trim()}`, hint: 'Is the loop device still attached (losetup --list)?' };
  }
  const rate = bytes / seconds;
  const observed = { bytes, seconds, bytesPerSecond: Math.round(rate), wbps: found.wbps };
  const message = `a ${mib(bytes)} direct write inside ${name} took ${seconds.toFixed(2)} s (${mib(rate)}/s; io.max allows ${mib(found.wbps)}/s)`;
  // blk-throttle lets a first slice through at once, so allow some slack below the ideal time.
  if (seconds >= expected * 0.6) return { pass: true, message, observed };
  return { pass: false, message, observed, hint: `The write ran faster than io.max allows: is ${found.loop.device} the device you wrote to? cat /sys/class/block/${found.loop.name}/dev` };
}

export default defineChecker({
  checks: [
    {
      id: 'loop-device',
      title: 'a loop device is backed by a file under /tmp/isolab-lab',
      tag: 'observe',
      run: async (context) => {
        const loops = labLoops(context);
        return { pass: true, message: loops.map((loop) => `/dev/${loop.name} (${loop.device}) is backed by ${loop.backingFile}`).join('; '), observed: { loopDevices: loops } };
      },
    },
    {
      id: 'io-max',
      title: 'io.max of isolab/io limits writes to that device',
      tag: 'observe',
      run: async (context) => {
        const { loop, wbps } = findLimit(context);
        return { pass: true, message: `io.max of ${labCgroup(context)} limits writes to /dev/${loop.name} (${loop.device}) to ${mib(wbps)}/s`, observed: { device: loop.device, wbps } };
      },
    },
    { id: 'io-stat', title: 'io.stat of isolab/io shows bytes written to it', tag: 'observe', run: checkStat },
    { id: 'bounded', title: 'a direct write inside isolab/io is held to the limit', tag: 'experiment', timeoutMs: 60_000, run: checkBounded },
  ],

  async cleanup(context) {
    // This lesson's loop devices: the one on disk.img, and any lab loop device the lesson cgroup limits.
    const limited = readCgroupNestedKeyed(context, labCgroup(context), 'io.max').map((line) => line.key);
    const loops = labLoopDevices(context).filter((loop) => loop.backingFile === backingFile || limited.includes(loop.device));
    await removeLessonCgroup(context);
    await detachLoopDevices(context, loops);
    rmSync(backingFile, { force: true });
    // The lab directory goes too when this lesson's files were all it held.
    if (existsSync(labDir) && listNames(labDir).length === 0) rmdirSync(labDir);
  },

  // What the lesson has the learner type, with the tool's path spelled out (the cgroup-tool launcher runs the same file).
  async solution(context) {
    const tool = `"${process.execPath}" "${join(packageRoot(), 'dist/cgroup-tool.js')}"`;
    const name = labCgroup(context);
    const script = [
      `mkdir -p ${labDir}`,
      `truncate -s 64M ${backingFile}`,
      `dev=$(losetup --find --show ${backingFile})`,
      'majmin=$(cat /sys/class/block/${dev#/dev/}/dev)',
      `${tool} create ${name}`,
      `${tool} io-max ${name} $majmin wbps=${solutionWbps}`,
      `${tool} run ${name} -- dd if=/dev/zero of=$dev bs=1M count=4 oflag=direct`,
      `cat ${cgroup2Path(context, name).shown}/io.stat`,
    ];
    await commandOutput(context, 'sh', ['-c', script.join(' && ')], 60_000);
  },
});
