import { cpSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixturesDir } from '../../test/helpers/fixtures.js';
import { fixtureSystem } from '../system/index.js';
import { readContainer } from './container.js';
import { readKernel } from './kernel.js';

// The fixture vm-overlay-root-stale-dockerenv is a VM; these variations of it are containers, and must stay so.
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function variant(change: (dir: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'isolab-container-'));
  dirs.push(dir);
  cpSync(join(fixturesDir, 'vm-overlay-root-stale-dockerenv'), dir, { recursive: true, verbatimSymlinks: true });
  change(dir);
  const system = fixtureSystem(dir, {});
  return readContainer(system, readKernel(system));
}

const relink = (dir: string, path: string, target: string) => {
  unlinkSync(join(dir, path));
  symlinkSync(target, join(dir, path));
};

describe('an overlay root with /.dockerenv', () => {
  it('is no container beside the machine\'s own init, and the report says why', () => {
    const layer = variant(() => {});
    expect(layer.kind).toBe('none');
    expect(layer.disregarded.join('\n')).toMatch(/\/\.dockerenv exists, and the root filesystem is overlay, but we run beside this machine's own init/);
  });

  it('is a docker container when PID 1 lives in another mount namespace (a container sharing the host\'s PIDs)', () => {
    const layer = variant((dir) => relink(dir, 'proc/1/ns/mnt', 'mnt:[4026532200]'));
    expect(layer.kind).toBe('docker');
    expect(layer.evidence).toEqual(['/.dockerenv exists', 'the root filesystem is overlay']);
  });

  it('is a docker container in a PID namespace of its own, where no kernel thread is visible', () => {
    const layer = variant((dir) => {
      relink(dir, 'proc/self/ns/pid', 'pid:[4026532205]');
      rmSync(join(dir, 'proc/2'), { recursive: true });
    });
    expect(layer.kind).toBe('docker');
  });

  it('still counts the machine\'s own init where PID 1\'s namespaces cannot be read (not root)', () => {
    const layer = variant((dir) => unlinkSync(join(dir, 'proc/1/ns/mnt')));
    expect(layer.kind).toBe('none');
    expect(layer.disregarded.join('\n')).not.toMatch(/shares our mount namespace/);
  });
});
