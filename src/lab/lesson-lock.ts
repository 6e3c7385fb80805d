import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { blockedError, errnoCode, type IsolabError } from '../errors/index.js';

/**
 * Runs `work` while this isolab alone checks the lesson's lab. Two checks of one lesson at once share its lab
 * cgroup, processes and namespaces, and each sees the other's (a second OOM kill, a process it did not start), so
 * the second is refused, with the first one's pid, rather than giving a wrong answer. The lock is a file made
 * with O_EXCL holding the pid; one whose owner is gone (killed mid-check) is taken over.
 *
 * `dir` is where the locks live: the machine's /run/isolab for root, whose labs are the machine's; the learner's
 * state directory otherwise.
 */
export async function withLessonLab<T>(dir: string, lesson: { id: string; short: string }, work: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const file = join(dir, `${lesson.id.replace(/\//g, '--')}.lock`);
  const heldBy = (owner: number) =>
    blockedError(
      `isolab is already checking ${lesson.short} on this machine (pid ${owner}): one lesson's checks run one at a time, as they share its lab (cgroup, processes, namespaces)`,
      `Let it finish, then verify again; or stop it (kill ${owner}).`,
    );
  return withPidLock(file, heldBy, work);
}

/**
 * Runs `work` holding `file`, a lock made with O_EXCL that holds this process's pid; `heldBy` is the refusal
 * when a live process holds it. One whose owner is gone (killed) is taken over.
 */
export async function withPidLock<T>(file: string, heldBy: (owner: number) => IsolabError, work: () => Promise<T>): Promise<T> {
  take(file, heldBy);
  try {
    return await work();
  } finally {
    rmSync(file, { force: true });
  }
}

function take(file: string, heldBy: (owner: number) => IsolabError): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    // Written whole under a name of its own, then linked into place: the lock never exists without its pid.
    const own = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    const fd = openSync(own, 'wx', 0o644);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    try {
      linkSync(own, file);
      return;
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
    } finally {
      rmSync(own, { force: true });
    }
    const owner = ownerOf(file);
    if (owner !== undefined && owner !== process.pid && isRunning(owner)) throw heldBy(owner);
    // Its owner is gone (killed mid-check).
    rmSync(file, { force: true });
  }
  throw blockedError(`cannot take the lock ${file}`, `Remove it (rm ${file}) if no isolab runs, then try again.`);
}

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}
