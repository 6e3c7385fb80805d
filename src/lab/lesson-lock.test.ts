import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isIsolabError } from '../errors/index.js';
import { withLessonLab } from './lesson-lock.js';

const lesson = { id: 'cgroups/memory-limits', short: '2.3' };
const freshDir = () => join(mkdtempSync(join(tmpdir(), 'isolab-lesson-lock-')), 'running');

describe('withLessonLab', () => {
  it('refuses a second check of the same lesson while the first runs, naming its pid', async () => {
    const dir = freshDir();
    let second: unknown;
    await withLessonLab(dir, lesson, async () => {
      // Another isolab: the lock names a live pid that is not this one.
      writeFileSync(join(dir, 'other.lock'), '');
      second = await withLessonLab(dir, { id: 'cgroups/cpu-limits', short: '2.4' }, async () => 'another lesson runs');
    });
    expect(second).toBe('another lesson runs');
    const lock = join(dir, 'cgroups--memory-limits.lock');
    writeFileSync(lock, '1');
    const refused = await withLessonLab(dir, lesson, async () => 'ran').catch((error: unknown) => error);
    expect(isIsolabError(refused) && refused.exitCode).toBe(3);
    expect((refused as Error).message).toBe("isolab is already checking 2.3 on this machine (pid 1): one lesson's checks run one at a time, as they share its lab (cgroup, processes, namespaces)");
    expect(isIsolabError(refused) && refused.remedy).toMatch(/kill 1/);
  });

  it('takes over the lock of an isolab that was killed, and removes its own when done', async () => {
    const dir = freshDir();
    await withLessonLab(dir, lesson, async () => undefined);
    writeFileSync(join(dir, 'cgroups--memory-limits.lock'), '999999999');
    expect(await withLessonLab(dir, lesson, async () => 'ran')).toBe('ran');
    expect(readdirSync(dir).filter((name) => name !== 'other.lock')).toEqual([]);
    await expect(withLessonLab(dir, lesson, () => Promise.reject(new Error('check crashed')))).rejects.toThrow('check crashed');
    expect(existsSync(join(dir, 'cgroups--memory-limits.lock'))).toBe(false);
  });
});
