import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine } from '../../test/helpers/check-context.js';
import { isIsolabError } from '../errors/index.js';
import { cgroup2Dir, cgroup2Mount, cgroup2Path, makeCgroup2Dir } from './cgroup2-mount.js';

let machine: ReturnType<typeof fixtureMachine>;
afterEach(() => machine.dispose());

const mounts = (...lines: string[]) => (machine = fixtureMachine({ 'proc/self/mountinfo': `${lines.join('\n')}\n` }));
const tmpfs = '25 21 0:22 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755';
const unified = '26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate';
const memory = '30 25 0:27 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory';
const v2 = '25 21 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate';

describe('cgroup2Mount', () => {
  it('is /sys/fs/cgroup on a v2 machine, read under the system root', () => {
    expect(cgroup2Mount(mounts(v2))).toEqual({ shown: '/sys/fs/cgroup', dir: join(machine.dir, 'sys/fs/cgroup') });
  });

  it('is the unified mount on a hybrid machine', () => {
    expect(cgroup2Mount(mounts(tmpfs, unified, memory)).shown).toBe('/sys/fs/cgroup/unified');
  });

  it('places a cgroup under it', () => {
    expect(cgroup2Path(mounts(v2), 'isolab/io')).toEqual({ shown: '/sys/fs/cgroup/isolab/io', dir: join(machine.dir, 'sys/fs/cgroup/isolab/io') });
  });

  it('blocks the lesson, with a remedy, where there is none', () => {
    let error: unknown;
    try {
      cgroup2Mount(mounts(tmpfs, memory));
    } catch (caught) {
      error = caught;
    }
    expect(isIsolabError(error) && error.remedy).toMatch(/isolab doctor/);
  });
});

describe('cgroup2Dir', () => {
  it('is under the unified mount of a hybrid machine, with the directory\'s inode as its id', () => {
    const fixture = mounts(tmpfs, unified, memory);
    expect(cgroup2Dir(fixture, 'isolab/ebpf-exec')).toBeUndefined();
    const made = makeCgroup2Dir(fixture, 'isolab/ebpf-exec');
    expect(made.shown).toBe('/sys/fs/cgroup/unified/isolab/ebpf-exec');
    expect(made.id).toBe(statSync(join(machine.dir, 'sys/fs/cgroup/unified/isolab/ebpf-exec'), { bigint: true }).ino);
    expect(cgroup2Dir(fixture, 'isolab/ebpf-exec')).toEqual(made);
  });
});
