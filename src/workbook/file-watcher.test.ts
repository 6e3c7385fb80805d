import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { watchFiles } from './file-watcher.js';

let stop = () => {};
afterEach(() => stop());

/** Resolves on the first change `watchFiles` reports after `act` runs. */
async function firstChange(paths: string[], act: () => void): Promise<void> {
  await new Promise<void>((resolve) => {
    stop = watchFiles(paths, resolve);
    act();
  });
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'isolab-watch-'));

describe('watchFiles', () => {
  it('sees a file written in place', async () => {
    const dir = tempDir();
    const file = join(dir, 'create.ts');
    writeFileSync(file, 'one');
    await firstChange([file, join(dir, 'missing/nothing.ts')], () => writeFileSync(file, 'two'));
  });

  it('sees a file replaced by rename, as editors save, and not its temporary file', async () => {
    const dir = tempDir();
    const file = join(dir, 'create.ts');
    writeFileSync(file, 'one');
    const events: string[] = [];
    await firstChange([file], () => {
      writeFileSync(join(dir, 'create.ts.swp'), 'three');
      events.push('temporary written');
      renameSync(join(dir, 'create.ts.swp'), file);
    });
    expect(events).toEqual(['temporary written']);
  });

  it('falls back to looking at the files where fs.watch hears nothing (here: a directory made later), once per change', async () => {
    const dir = tempDir();
    const file = join(dir, 'later/create.ts');
    let changes = 0;
    stop = watchFiles([file], () => changes++, 50);
    mkdirSync(join(dir, 'later'));
    writeFileSync(file, 'one');
    await sleep(300);
    expect(changes).toBe(1);
    // Now the directory exists, but fs.watch is not on it: the poll alone sees this one too.
    writeFileSync(file, 'two, longer');
    await sleep(300);
    expect(changes).toBe(2);
  });
});
