import { readMountInfo } from '../system/index.js';
import { commandOutput, type CheckContext } from '../verify/index.js';

/** More umounts than any lab stacks on one path: past this, something keeps mounting (or a umount does nothing). */
const maxUmounts = 100;

/**
 * Takes every mount at `path` or below it off isolab's mount namespace, one `umount` at a time: the deepest first
 * and, of mounts stacked on one point, the most recent (the last mountinfo lists). `lazy` detaches a busy one
 * (`umount -l`). A umount that fails throws with its error: the lab is not clean.
 */
export async function unmountUnder(context: CheckContext, path: string, options: { lazy?: boolean } = {}): Promise<void> {
  for (let count = 0; count < maxUmounts; count++) {
    const below = readMountInfo(context.system.proc).filter((mount) => mount.mountPoint === path || mount.mountPoint.startsWith(`${path}/`));
    const next = below.reverse().sort((a, b) => b.mountPoint.length - a.mountPoint.length)[0];
    if (!next) return;
    await commandOutput(context, 'umount', [...(options.lazy ? ['-l'] : []), next.mountPoint], 10_000);
  }
  throw new Error(`mounts are still there under ${path} after ${maxUmounts} umounts`);
}
