import { join } from 'node:path';
import { isLabPath } from '../lab/index.js';
import { listNames, readTrimmed } from '../system/index.js';
import type { CheckContext } from '../verify/index.js';

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
