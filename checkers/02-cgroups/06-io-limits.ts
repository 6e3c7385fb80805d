/**
 * 2.6 IO: io.max on a loop device. The learner makes a file-backed loop device, limits isolab/io's writes to
 * it, and writes to it with direct I/O from inside. The checks read sysfs and the cgroup's io files; the last
 * one times a short direct write of its own inside isolab/io (blk-throttle, cgroup-v2.rst "IO Interface Files").
 */
import { existsSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CgroupManager, unifiedMount } from '../../src/cgroup/index.js';
import { blockedError, errnoCode } from '../../src/errors/index.js';
import { findOnPath } from '../../src/env/index.js';
import { isLabPath } from '../../src/lab/index.js';
import { listNames, packageRoot, pathExists, readMountInfo, readText, readTrimmed, type SystemRoot } from '../../src/system/index.js';
import { defineChecker, type CheckContext, type CheckOutcome } from '../../src/verify/index.js';

const cgroupName = 'isolab/io';
const labDir = '/tmp/isolab-lab';
const backingFile = `${labDir}/disk.img`;
/** What the lesson and the solution use: 1 MiB/s. */
const solutionWbps = '1M';

interface LoopDevice {
  name: string;
  /** major:minor, as io.max and io.stat name devices. */
  device: string;
  backingFile: string;
}

/** Loop devices whose backing file lies under the lab directories (sysfs names it; " (deleted)" if unlinked). */
function labLoops(system: SystemRoot): LoopDevice[] {
  const block = join(system.sys, 'block');
  return listNames(block)
    .filter((name) => /^loop\d+$/.test(name))
    .flatMap((name) => {
      const file = readTrimmed(join(block, name, 'loop/backing_file'))?.replace(/ \(deleted\)$/, '');
      const device = readTrimmed(join(block, name, 'dev'));
      return file && device && isLabPath(file) ? [{ name, device, backingFile: file }] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

/** Every attached loop device and its backing file, to show in a hint. */
function otherLoops(system: SystemRoot): string[] {
  const block = join(system.sys, 'block');
  return listNames(block)
    .filter((name) => /^loop\d+$/.test(name) && pathExists(join(block, name, 'loop/backing_file')))
    .map((name) => `${name} → ${readTrimmed(join(block, name, 'loop/backing_file'))}`);
}

function cgroupDir(system: SystemRoot): { dir: string; shown: string } {
  const mount = unifiedMount(system);
  if (!mount) throw blockedError('no cgroup2 mount found', 'This lesson needs cgroup v2; isolab doctor shows what this machine has.');
  return { dir: join(system.root, mount.mountPoint, cgroupName), shown: `${mount.mountPoint}/${cgroupName}` };
}

/** `7:0 rbps=max wbps=1048576 riops=max wiops=max` → device and its settings. */
function parseDeviceLines(text: string | undefined): Array<{ device: string; values: Record<string, string> }> {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([device]) => device && /^\d+:\d+$/.test(device))
    .map(([device, ...pairs]) => ({ device: device!, values: Object.fromEntries(pairs.map((pair) => pair.split('=') as [string, string])) }));
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MiB`;

function loopHint(system: SystemRoot): string {
  if (!pathExists(join(system.root, 'dev/loop-control'))) {
    return 'This kernel has no /dev/loop-control: load the loop driver (modprobe loop), then make the disk: truncate -s 64M /tmp/isolab-lab/disk.img && losetup --find --show /tmp/isolab-lab/disk.img';
  }
  const others = otherLoops(system);
  return `${others.length > 0 ? `Loop devices here are backed by other files (${others.slice(0, 3).join(', ')}). ` : ''}Make one backed by a file of the lab: mkdir -p /tmp/isolab-lab && truncate -s 64M /tmp/isolab-lab/disk.img && losetup --find --show /tmp/isolab-lab/disk.img`;
}

interface Limited {
  loop: LoopDevice;
  wbps: number;
}

/** The lab loop device that isolab/io's io.max limits with a wbps, if any; else why not, as a failed outcome. */
function findLimit(system: SystemRoot): Limited | CheckOutcome {
  const loops = labLoops(system);
  const { dir, shown } = cgroupDir(system);
  if (loops.length === 0) return { pass: false, message: 'no loop device is backed by a file under /tmp/isolab-lab', hint: loopHint(system) };
  const example = `cgroup-tool io-max ${cgroupName} ${loops[0]!.device} wbps=${solutionWbps}`;
  if (!pathExists(join(dir, 'cgroup.procs'))) {
    return { pass: false, message: `${shown} does not exist`, hint: `Create it (cgroup-tool enables io in its parents): cgroup-tool create ${cgroupName}` };
  }
  const ioMax = readText(join(dir, 'io.max'));
  if (ioMax === undefined) {
    return {
      pass: false,
      message: `${shown} has no io.max file`,
      observed: { parentSubtreeControl: readTrimmed(join(dir, '../cgroup.subtree_control')) ?? '' },
      hint: `The kernel makes io.* files only when the parent enables io: echo +io > ${shown.replace(/\/io$/, '')}/cgroup.subtree_control (or delete the cgroup and run cgroup-tool create ${cgroupName} again).`,
    };
  }
  const lines = parseDeviceLines(ioMax);
  const observed = { ioMax: ioMax.trim(), loopDevices: loops.map((loop) => `${loop.name} (${loop.device}) → ${loop.backingFile}`) };
  if (lines.length === 0) return { pass: false, message: `${shown}/io.max is empty: no device is limited`, observed, hint: `Limit writes to your loop device: ${example}` };
  const ours = lines.filter((line) => loops.some((loop) => loop.device === line.device));
  if (ours.length === 0) {
    return {
      pass: false,
      message: `${shown}/io.max limits ${lines.map((line) => line.device).join(', ')}, which ${lines.length === 1 ? 'is' : 'are'} not a loop device of the lab (${loops.map((loop) => `${loop.name} is ${loop.device}`).join(', ')})`,
      observed,
      hint: `io.max names a device by major:minor (cat /sys/class/block/${loops[0]!.name}/dev): ${example}`,
    };
  }
  const limited = ours.find((line) => line.values.wbps !== undefined && line.values.wbps !== 'max');
  if (!limited) {
    return {
      pass: false,
      message: `${shown}/io.max names ${ours[0]!.device} but leaves writes unlimited (wbps=${ours[0]!.values.wbps ?? 'max'})`,
      observed,
      hint: `rbps and riops limit reads; writes need wbps: ${example}`,
    };
  }
  const wbps = Number(limited.values.wbps);
  // io.max has no units: the kernel reads the digits and drops the rest (block/blk-throttle.c tg_set_limit,
  // sscanf "%llu"), so `wbps=4M` by hand is 4 bytes/s, a limit no write of the lesson gets through.
  if (wbps < 1024) {
    return {
      pass: false,
      message: `${shown}/io.max limits writes to ${limited.device} to ${wbps} bytes per second`,
      observed: { ...observed, wbps },
      hint: `io.max has no units: the kernel reads the digits and drops a suffix, so wbps=${wbps}M written by hand means ${wbps} bytes/s. Write bytes: echo "${limited.device} wbps=1048576" > ${shown}/io.max, or ${example}, which converts.`,
    };
  }
  return { loop: loops.find((loop) => loop.device === limited.device)!, wbps };
}

const isOutcome = (value: Limited | CheckOutcome): value is CheckOutcome => 'pass' in value;

function checkLoop(context: CheckContext): CheckOutcome {
  const loops = labLoops(context.system);
  if (loops.length === 0) return { pass: false, message: 'no loop device is backed by a file under /tmp/isolab-lab', hint: loopHint(context.system) };
  return {
    pass: true,
    message: loops.map((loop) => `/dev/${loop.name} (${loop.device}) is backed by ${loop.backingFile}`).join('; '),
    observed: { loopDevices: loops },
  };
}

function checkLimit(context: CheckContext): CheckOutcome {
  const found = findLimit(context.system);
  if (isOutcome(found)) return found;
  return {
    pass: true,
    message: `io.max of ${cgroupName} limits writes to /dev/${found.loop.name} (${found.loop.device}) to ${mib(found.wbps)}/s`,
    observed: { device: found.loop.device, wbps: found.wbps },
  };
}

/** Bytes written to a device by the cgroup (and its children), from io.stat. */
function writtenBytes(system: SystemRoot, device: string): { wbytes: number; line: string | undefined } {
  const { dir } = cgroupDir(system);
  const line = parseDeviceLines(readText(join(dir, 'io.stat'))).find((entry) => entry.device === device);
  return { wbytes: Number(line?.values.wbytes ?? 0), line: line && `${line.device} ${Object.entries(line.values).map(([key, value]) => `${key}=${value}`).join(' ')}` };
}

function checkStat(context: CheckContext): CheckOutcome {
  const found = findLimit(context.system);
  if (isOutcome(found)) return { ...found, hint: found.hint && `Limit first, then write. ${found.hint}` };
  const { wbytes, line } = writtenBytes(context.system, found.loop.device);
  const { shown } = cgroupDir(context.system);
  const write = `cgroup-tool run ${cgroupName} -- dd if=/dev/zero of=/dev/${found.loop.name} bs=1M count=4 oflag=direct`;
  if (!line) {
    return {
      pass: false,
      message: `${shown}/io.stat has no line for ${found.loop.device}: nothing in ${cgroupName} has done I/O on /dev/${found.loop.name}`,
      observed: { ioStat: readTrimmed(join(cgroupDir(context.system).dir, 'io.stat')) ?? '' },
      hint: `Write from inside the cgroup, past the page cache: ${write}`,
    };
  }
  if (wbytes === 0) {
    return {
      pass: false,
      message: `${shown}/io.stat reads "${line}": no bytes written`,
      observed: { ioStat: line },
      hint: `Buffered writes wait in the page cache, and io.stat counts them only when they reach the device (sync pushes them out). Write past the cache: ${write}`,
    };
  }
  return { pass: true, message: `${shown}/io.stat reads "${line}": ${mib(wbytes)} written from inside ${cgroupName}`, observed: { ioStat: line, wbytes } };
}

/**
 * Times a direct write inside isolab/io, sized to take about two seconds at the limit. It runs only once the
 * learner's own write is in io.stat, so it never supplies the evidence the previous check looks for.
 */
async function checkBounded(context: CheckContext): Promise<CheckOutcome> {
  const found = findLimit(context.system);
  if (isOutcome(found)) return { ...found, hint: found.hint && `Nothing to measure yet. ${found.hint}` };
  if (writtenBytes(context.system, found.loop.device).wbytes === 0) {
    return { pass: false, message: `nothing in ${cgroupName} has written to /dev/${found.loop.name} yet`, hint: 'Do your own write first (Step 4); this check then times one of its own.' };
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
  if (expected < 1) {
    return {
      pass: false,
      message: `the limit (${mib(found.wbps)}/s) lets ${mib(bytes)} through in ${expected.toFixed(2)} s: too fast to tell from an unlimited write`,
      observed: { wbps: found.wbps },
      hint: `Use a limit the eye can see: cgroup-tool io-max ${cgroupName} ${found.loop.device} wbps=${solutionWbps}`,
    };
  }
  if (expected > 15) {
    return {
      pass: false,
      message: `the limit (${found.wbps} bytes/s) lets even ${bytes} bytes through only in ${expected.toFixed(0)} s: too slow to time here`,
      observed: { wbps: found.wbps },
      hint: `Use the lesson's limit: cgroup-tool io-max ${cgroupName} ${found.loop.device} wbps=${solutionWbps}`,
    };
  }
  const { dir } = cgroupDir(context.system);
  const script = 'echo $$ > "$1/cgroup.procs" && exec dd if=/dev/zero of="$2" bs="$3" count="$4" oflag=direct';
  const run = await context.exec('sh', ['-c', script, 'sh', dir, `/dev/${found.loop.name}`, String(blockSize), String(count)], {
    timeoutMs: Math.ceil(expected * 4 + 10) * 1000,
    env: { ...context.system.env, LC_ALL: 'C' },
  });
  // dd: "2097152 bytes (2.1 MB, 2.0 MiB) copied, 2.00061 s, 1.0 MB/s"
  const seconds = Number(/copied, ([\d.]+) s/.exec(run.stderr)?.[1] ?? NaN);
  if (run.exitCode !== 0 || !Number.isFinite(seconds)) {
    return { pass: false, message: `the timed write to /dev/${found.loop.name} failed: ${(run.stderr || run.spawnError || `exit ${run.exitCode}`).trim()}`, hint: 'Is the loop device still attached (losetup --list)?' };
  }
  const rate = bytes / seconds;
  const observed = { bytes, seconds, bytesPerSecond: Math.round(rate), wbps: found.wbps };
  const message = `a ${mib(bytes)} direct write inside ${cgroupName} took ${seconds.toFixed(2)} s (${mib(rate)}/s; io.max allows ${mib(found.wbps)}/s)`;
  // blk-throttle lets a first slice through at once, so allow some slack below the ideal time.
  if (seconds >= expected * 0.6) return { pass: true, message, observed };
  return { pass: false, message, observed, hint: `The write ran faster than io.max allows: is ${found.loop.device} the device you wrote to? cat /sys/class/block/${found.loop.name}/dev` };
}

async function run(context: CheckContext, script: string): Promise<string> {
  const result = await context.exec('sh', ['-c', script], { timeoutMs: 60_000, env: { ...context.system.env, LC_ALL: 'C' } });
  if (result.exitCode !== 0) throw new Error(`${script.split('\n')[0]}: ${(result.stderr || result.spawnError || `exit ${result.exitCode}`).trim()}`);
  return result.stdout;
}

export default defineChecker({
  checks: [
    { id: 'loop-device', title: 'a loop device is backed by a file under /tmp/isolab-lab', tag: 'observe', run: async (context) => checkLoop(context) },
    { id: 'io-max', title: 'io.max of isolab/io limits writes to that device', tag: 'observe', run: async (context) => checkLimit(context) },
    { id: 'io-stat', title: 'io.stat of isolab/io shows bytes written to it', tag: 'observe', run: async (context) => checkStat(context) },
    { id: 'bounded', title: 'a direct write inside isolab/io is held to the limit', tag: 'experiment', timeoutMs: 60_000, run: checkBounded },
  ],

  async cleanup(context) {
    const { system } = context;
    const { dir } = cgroupDir(system);
    // This lesson's loop devices: the one on disk.img, and any lab loop device isolab/io limits.
    const limited = parseDeviceLines(readText(join(dir, 'io.max'))).map((line) => line.device);
    const loops = labLoops(system).filter((loop) => loop.backingFile === backingFile || limited.includes(loop.device));
    if (pathExists(join(dir, 'cgroup.procs'))) await new CgroupManager(system).delete(cgroupName, { kill: true });
    try {
      rmdirSync(join(dir, '..'));
    } catch (error) {
      // Other lessons' cgroups live there (EBUSY), or it is gone (ENOENT): not ours to remove.
      if (!['EBUSY', 'ENOENT', 'ENOTEMPTY'].includes(errnoCode(error) ?? '')) throw error;
    }
    if (loops.length > 0 && !findOnPath('losetup', system.env)) {
      throw blockedError(`${loops.map((loop) => `/dev/${loop.name}`).join(', ')} cannot be detached: losetup is missing`, 'apt-get install util-linux');
    }
    for (const loop of loops) {
      const detach = await context.exec('losetup', ['--detach', `/dev/${loop.name}`], { timeoutMs: 15_000 });
      if (detach.exitCode !== 0) throw new Error(`losetup --detach /dev/${loop.name}: ${detach.stderr.trim()}`);
    }
    for (const file of new Set([backingFile, ...loops.map((loop) => loop.backingFile)])) rmSync(file, { force: true });
    // The lab directory goes too when this lesson's files were all it held.
    if (existsSync(labDir) && listNames(labDir).length === 0) rmdirSync(labDir);
  },

  // What the lesson has the learner type, with the tool's path spelled out (the cgroup-tool launcher runs the same file).
  async solution(context) {
    const tool = `"${process.execPath}" "${join(packageRoot(), 'dist/cgroup-tool.js')}"`;
    const { shown } = cgroupDir(context.system);
    await run(
      context,
      [
        `mkdir -p ${labDir}`,
        `truncate -s 64M ${backingFile}`,
        `dev=$(losetup --find --show ${backingFile})`,
        'majmin=$(cat /sys/class/block/${dev#/dev/}/dev)',
        `${tool} create ${cgroupName}`,
        `${tool} io-max ${cgroupName} $majmin wbps=${solutionWbps}`,
        `${tool} run ${cgroupName} -- dd if=/dev/zero of=$dev bs=1M count=4 oflag=direct`,
        `cat ${shown}/io.stat`,
      ].join(' && '),
    );
  },
});
