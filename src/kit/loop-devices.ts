import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from '../env/index.js';
import { blockedError } from '../errors/index.js';
import { isLabPath } from '../lab/index.js';
import { listNames, readTrimmed } from '../system/index.js';
import type { CheckContext } from '../verify/index.js';
import { whatFailed } from './command-result.js';

export interface LoopDevice {
  /** `loop3`. */
  name: string;
  /** major:minor, as io.max and io.stat name devices. */
  device: string;
  /** The file behind it, as sysfs names it (without the ` (deleted)` an unlinked file gets). */
  backingFile: string;
}

/** Every attached loop device, in number order (sysfs: /sys/block/loopN/loop exists only while attached). */
export function loopDevices(context: Pick<CheckContext, 'system'>): LoopDevice[] {
  const block = join(context.system.sys, 'block');
  return listNames(block)
    .filter((name) => /^loop\d+$/.test(name))
    .flatMap((name) => {
      const backingFile = readTrimmed(join(block, name, 'loop/backing_file'))?.replace(/ \(deleted\)$/, '');
      const device = readTrimmed(join(block, name, 'dev'));
      return backingFile && device ? [{ name, device, backingFile }] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

/** The loop devices backed by a file under the lab directories: the lesson's, which its clean-up detaches. */
export function labLoopDevices(context: Pick<CheckContext, 'system'>): LoopDevice[] {
  return loopDevices(context).filter((loop) => isLabPath(loop.backingFile));
}

/**
 * A lesson's clean-up of its loop devices: detaches each (losetup --detach) and removes the file behind it. A
 * machine without losetup cannot detach them: a blocked clean-up with its remedy, not a crash.
 */
export async function detachLoopDevices(context: Pick<CheckContext, 'system' | 'exec'>, loops: readonly LoopDevice[]): Promise<void> {
  if (loops.length > 0 && !findOnPath('losetup', context.system.env)) {
    throw blockedError(`${loops.map((loop) => `/dev/${loop.name}`).join(', ')} cannot be detached: losetup is missing`, 'apt-get install util-linux');
  }
  for (const loop of loops) {
    const detach = await context.exec('losetup', ['--detach', `/dev/${loop.name}`], { timeoutMs: 15_000 });
    if (detach.exitCode !== 0) throw new Error(`losetup --detach /dev/${loop.name}: ${whatFailed(detach)}`);
    rmSync(loop.backingFile, { force: true });
  }
}
