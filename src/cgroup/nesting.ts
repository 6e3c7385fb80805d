import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { errnoCode } from '../errors/index.js';
import { readWords } from '../system/index.js';
import { writeControlFile } from './control-file.js';

export interface NestingResult {
  moved: number;
  enabled: string[];
  rounds: number;
}

/**
 * The DinD "nesting" move (moby hack/dind, kernel-facts §3.2): a namespace root that holds processes cannot
 * enable controllers, so every process moves into `<root>/init` and the root then enables them. New processes
 * may land in the root meanwhile (a `docker exec`), so move-and-enable repeats until the enable succeeds.
 */
export async function nestProcesses(root: string, controllers: readonly string[], maxRounds = 10): Promise<NestingResult> {
  mkdirSync(join(root, 'init'), { recursive: true });
  let moved = 0;
  for (let round = 1; round <= maxRounds; round++) {
    for (const pid of readWords(join(root, 'cgroup.procs')) ?? []) {
      try {
        // One pid per write: cgroup.procs rejects a list with EINVAL.
        writeControlFile(join(root, 'init/cgroup.procs'), pid);
        moved++;
      } catch (error) {
        // The process exited, or is a kernel thread that cannot move; either way it does not block us.
        if (!['ESRCH', 'EINVAL'].includes(errnoCode(error) ?? '')) throw error;
      }
    }
    try {
      writeControlFile(join(root, 'cgroup.subtree_control'), controllers.map((controller) => `+${controller}`).join(' '));
      return { moved, enabled: [...controllers], rounds: round };
    } catch (error) {
      if (errnoCode(error) !== 'EBUSY' || round === maxRounds) throw error;
      await sleep(20 * round);
    }
  }
  throw new Error('unreachable');
}
