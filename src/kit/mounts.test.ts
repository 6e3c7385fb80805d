import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine } from '../../test/helpers/check-context.js';
import type { CheckContext, ExecResult } from '../verify/index.js';
import { unmountUnder } from './mounts.js';

const line = (id: number, point: string, source: string) => `${id} 1 0:${id} / ${point} rw shared:${id} - tmpfs ${source} rw`;

let dispose: () => void = () => undefined;
afterEach(() => dispose());

/** A machine whose umount takes the most recent mount on the point it is given off its mountinfo. */
function machine(lines: string[], fails = false) {
  const fixture = fixtureMachine({ '/proc/self/mountinfo': `${lines.join('\n')}\n` });
  dispose = fixture.dispose;
  const file = join(fixture.system.proc, 'self/mountinfo');
  const calls: string[] = [];
  const exec = async (command: string, args: readonly string[] = []) => {
    calls.push([command, ...args].join(' '));
    const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const top = rows.map((row) => row.split(' ')[4]).lastIndexOf(args.at(-1));
    if (!fails) writeFileSync(file, `${rows.filter((_, index) => index !== top).join('\n')}\n`);
    return { exitCode: fails ? 32 : 0, stdout: '', stderr: fails ? 'umount: target is busy.' : '', signal: null, timedOut: false } as ExecResult;
  };
  return { context: { system: fixture.system, exec } as unknown as CheckContext, calls };
}

describe('unmountUnder', () => {
  it('takes off every mount at or below the path, deepest and most recent first, and nothing beside it', async () => {
    const { context, calls } = machine([line(1, '/', '/dev/sda'), line(2, '/run/isolab/mnt', 'bind'), line(3, '/run/isolab/mnt', 'leak'), line(4, '/run/isolab/mnt/sub', 'inner'), line(5, '/run/isolab/mnt2', 'other')]);
    await unmountUnder(context, '/run/isolab/mnt');
    expect(calls).toEqual(['umount /run/isolab/mnt/sub', 'umount /run/isolab/mnt', 'umount /run/isolab/mnt']);
    await unmountUnder(context, '/tmp/isolab-lab/rootfs', { lazy: true });
    expect(calls).toHaveLength(3);
  });

  it('detaches lazily when asked, and throws with what umount said when it fails', async () => {
    const { context, calls } = machine([line(2, '/tmp/isolab-lab/rootfs', 'bind')], true);
    await expect(unmountUnder(context, '/tmp/isolab-lab/rootfs', { lazy: true })).rejects.toThrow(/umount -l \/tmp\/isolab-lab\/rootfs failed: umount: target is busy/);
    expect(calls).toEqual(['umount -l /tmp/isolab-lab/rootfs']);
  });
});
