import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchFiles } from './file-watcher.js';

/** Resolves on the first change `watchFiles` reports after `act` runs. */
async function firstChange(paths: string[], act: () => void): Promise<void> {
  let stop = () => {};
  await new Promise<void>((resolve) => {
    stop = watchFiles(paths, resolve);
    act();
  });
  stop();
}

describe('watchFiles', () => {
  it('sees a file written in place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isolab-watch-'));
    const file = join(dir, 'create.ts');
    writeFileSync(file, 'one');
    await firstChange([file, join(dir, 'missing/nothing.ts')], () => writeFileSync(file, 'two'));
  });

  it('sees a file replaced by rename, as editors save, and not its temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isolab-watch-'));
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
});
