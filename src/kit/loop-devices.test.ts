import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureSystem } from '../system/index.js';
import { labLoopDevices, loopDevices } from './loop-devices.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function machine(loops: Record<string, { dev: string; backing?: string }>) {
  dir = mkdtempSync(join(tmpdir(), 'isolab-kit-loops-'));
  for (const [name, loop] of Object.entries(loops)) {
    mkdirSync(join(dir, 'sys/block', name, 'loop'), { recursive: true });
    writeFileSync(join(dir, 'sys/block', name, 'dev'), `${loop.dev}\n`);
    if (loop.backing) writeFileSync(join(dir, 'sys/block', name, 'loop/backing_file'), `${loop.backing}\n`);
  }
  mkdirSync(join(dir, 'sys/block/sda'), { recursive: true });
  return { system: fixtureSystem(dir) };
}

describe('loop devices', () => {
  it('lists the attached ones in number order, and the lab its own', () => {
    const context = machine({
      loop10: { dev: '7:10', backing: '/tmp/isolab-lab/disk.img (deleted)' },
      loop2: { dev: '7:2', backing: '/var/lib/snapd/core.snap' },
      loop3: { dev: '7:3' },
    });
    expect(loopDevices(context)).toEqual([
      { name: 'loop2', device: '7:2', backingFile: '/var/lib/snapd/core.snap' },
      { name: 'loop10', device: '7:10', backingFile: '/tmp/isolab-lab/disk.img' },
    ]);
    expect(labLoopDevices(context).map((loop) => loop.name)).toEqual(['loop10']);
  });
});
