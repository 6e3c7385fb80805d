import { readFileSync } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { blockedError, errnoCode } from '../errors/index.js';

const staleAfterMs = 30_000;
const minimumStaleAgeMs = 2_000;
const giveUpAfterMs = 20_000;
// A lock written on another machine sharing this directory (the lab VM, through its share of the checkout):
// its pid means nothing here, and a write holds it for well under a second even under emulation.
const foreignStaleAfterMs = 10_000;

/**
 * A lock file made with O_CREAT|O_EXCL, holding the owner's pid and boot id. Ten `isolab verify` runs writing progress at
 * once must each see the others' writes, so read-modify-write happens under it. A lock whose owner is gone
 * (killed mid-write) or that is very old is taken over.
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: { giveUpAfterMs?: number } = {}): Promise<T> {
  const giveUpAfter = options.giveUpAfterMs ?? giveUpAfterMs;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, 'wx', 0o644);
      try {
        await handle.writeFile(`${process.pid} ${thisBoot()}`);
      } catch (error) {
        // A lock we made but could not fill (a full disk) is ours to remove: nobody else may find it later.
        await handle.close();
        await rm(lockPath, { force: true });
        throw error;
      }
      await handle.close();
      break;
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
      if (await isStale(lockPath)) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() - started > giveUpAfter) {
        const owner = (await readFile(lockPath, 'utf8').catch(() => '')).split(' ')[0]!;
        throw blockedError(
          `${lockPath} has been held by another isolab${/^\d+$/.test(owner) ? ` (pid ${owner})` : ''} for ${giveUpAfter / 1000} s`,
          /^\d+$/.test(owner)
            ? `Let that isolab finish (ps -p ${owner} shows it), or stop it (kill ${owner}), then run the command again.`
            : 'Let the other isolab finish, then run the command again.',
        );
      }
      await sleep(5 + Math.random() * Math.min(50, 5 * attempt));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

/**
 * Stale means: its owner is gone (or died between creating the file and writing its pid) and the file is not
 * brand new. A lock that vanished while we looked is not stale: it was released, and the next try takes it.
 * Deleting a lock on any other evidence would let two writers in at once.
 */
async function isStale(lockPath: string): Promise<boolean> {
  try {
    const info = await stat(lockPath);
    const age = Date.now() - info.mtimeMs;
    if (age < minimumStaleAgeMs) return false;
    if (age > staleAfterMs) return true;
    const [pidText = '', boot] = (await readFile(lockPath, 'utf8')).trim().split(/\s+/);
    if (boot !== undefined && boot !== thisBoot()) return age > foreignStaleAfterMs;
    const pid = Number(pidText);
    if (!Number.isInteger(pid) || pid <= 0) return true;
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return errnoCode(error) === 'ESRCH';
  }
}

let bootId: string | undefined;

/** This kernel's boot id: tells a lock written here from one written by another machine on the same files. */
function thisBoot(): string {
  try {
    bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    bootId = 'unknown';
  }
  return bootId;
}
