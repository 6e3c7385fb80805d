import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isIsolabError } from '../errors/index.js';
import { fixtureSystem } from '../system/index.js';
import { cgroup2Mount, cgroup2Path } from './cgroup2-mount.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function machine(mountinfo: string[]) {
  dir = mkdtempSync(join(tmpdir(), 'isolab-kit-mounts-'));
  mkdirSync(join(dir, 'proc/self'), { recursive: true });
  writeFileSync(join(dir, 'proc/self/mountinfo'), `${mountinfo.join('\n')}\n`);
  return { system: fixtureSystem(dir) };
}

const tmpfs = '25 21 0:22 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755';
const unified = '26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate';
const memory = '30 25 0:27 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory';
const v2 = '25 21 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate';

describe('cgroup2Mount', () => {
  it('is /sys/fs/cgroup on a v2 machine, read under the system root', () => {
    expect(cgroup2Mount(machine([v2]))).toEqual({ shown: '/sys/fs/cgroup', dir: join(dir, 'sys/fs/cgroup') });
  });

  it('is the unified mount on a hybrid machine', () => {
    expect(cgroup2Mount(machine([tmpfs, unified, memory])).shown).toBe('/sys/fs/cgroup/unified');
  });

  it('places a cgroup under it', () => {
    expect(cgroup2Path(machine([v2]), 'isolab/io')).toEqual({ shown: '/sys/fs/cgroup/isolab/io', dir: join(dir, 'sys/fs/cgroup/isolab/io') });
  });

  it('blocks the lesson, with a remedy, where there is none', () => {
    let error: unknown;
    try {
      cgroup2Mount(machine([tmpfs, memory]));
    } catch (caught) {
      error = caught;
    }
    expect(isIsolabError(error) && error.remedy).toMatch(/isolab doctor/);
  });
});
