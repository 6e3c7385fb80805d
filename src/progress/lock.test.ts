import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
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

  // The lab VM writes progress through its share of the checkout: its pids are another kernel's. Here the pid is
  // this test's own (alive), so only the boot id can tell the lock is not ours to respect.
  it('takes over a lock another machine left (the lab VM killed mid-write) once it is 10 s old, and not before', async () => {
    const lock = join(freshHome(), 'progress.lock');
    writeFileSync(lock, `${process.pid} 00000000-0000-4000-8000-000000000000`);
    const young = await withFileLock(lock, async () => 'ran', { giveUpAfterMs: 300 }).catch((failure: unknown) => failure);
    expect(isIsolabError(young)).toBe(true);
    const old = (Date.now() - 11_000) / 1000;
    utimesSync(lock, old, old);
    expect(await withFileLock(lock, async () => readFileSync(lock, 'utf8'))).toBe(`${process.pid} ${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}`);
  });

  it('keeps respecting an old lock of this machine whose owner lives', async () => {
    const lock = join(freshHome(), 'progress.lock');
    writeFileSync(lock, `${process.pid} ${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}`);
    const old = (Date.now() - 11_000) / 1000;
    utimesSync(lock, old, old);
    const error = await withFileLock(lock, async () => 'ran', { giveUpAfterMs: 300 }).catch((failure: unknown) => failure);
    expect(isIsolabError(error)).toBe(true);
  });
});
