import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshHome } from '../../test/helpers/cli.js';
import { isIsolabError } from '../errors/index.js';
import { withFileLock } from './lock.js';

describe('withFileLock', () => {
  it('gives up on a lock a live isolab holds with an error that names it and what to do', async () => {
    const lock = join(freshHome(), 'progress.lock');
    writeFileSync(lock, String(process.pid));
    let ran = false;
    const error = await withFileLock(lock, async () => void (ran = true), { giveUpAfterMs: 200 }).catch((failure: unknown) => failure);
    expect(ran).toBe(false);
    expect(isIsolabError(error) && error.exitCode).toBe(3);
    expect((error as Error).message).toMatch(new RegExp(`held by another isolab \\(pid ${process.pid}\\)`));
    expect(isIsolabError(error) && error.remedy).toMatch(new RegExp(`kill ${process.pid}`));
  });
});
