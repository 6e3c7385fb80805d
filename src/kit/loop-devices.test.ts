import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine } from '../../test/helpers/check-context.js';
import { detachLoopDevices, labLoopDevices, loopDevices } from './loop-devices.js';

let machine: ReturnType<typeof fixtureMachine>;
afterEach(() => machine.dispose());

describe('loop devices', () => {
  it('lists the attached ones in number order, and the lab its own', () => {
    machine = fixtureMachine({
      'sys/block/loop10/dev': '7:10\n',
      'sys/block/loop10/loop/backing_file': '/tmp/isolab-lab/disk.img (deleted)\n',
      'sys/block/loop2/dev': '7:2\n',
      'sys/block/loop2/loop/backing_file': '/var/lib/snapd/core.snap\n',
      'sys/block/loop3/dev': '7:3\n',
      'sys/block/sda/dev': '8:0\n',
    });
    expect(loopDevices(machine)).toEqual([
      { name: 'loop2', device: '7:2', backingFile: '/var/lib/snapd/core.snap' },
      { name: 'loop10', device: '7:10', backingFile: '/tmp/isolab-lab/disk.img' },
    ]);
    expect(labLoopDevices(machine).map((loop) => loop.name)).toEqual(['loop10']);
  });

  it('refuses to leave loop devices attached when losetup is missing, and has nothing to do without any', async () => {
    machine = fixtureMachine({});
    const context = { system: { ...machine.system, env: { PATH: machine.dir } }, exec: () => Promise.reject(new Error('nothing to run')) };
    const loop = { name: 'loop7', device: '7:7', backingFile: join(machine.dir, 'disk.img') };
    await expect(detachLoopDevices(context, [loop])).rejects.toThrow('/dev/loop7 cannot be detached: losetup is missing');
    await expect(detachLoopDevices(context, [])).resolves.toBeUndefined();
  });
});
