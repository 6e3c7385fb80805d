import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureMachine } from '../../test/helpers/check-context.js';
import { liveSystem } from '../system/index.js';
import { namespacesOf, netnsFile, processRootIs, sharedWithIsolab } from './namespaces.js';

const live = { system: liveSystem() };

describe('namespaces', () => {
  it("reads a process's links, and a process shares all of isolab's with itself", () => {
    expect(namespacesOf(live, process.pid, ['uts', 'mnt']).uts).toMatch(/^uts:\[\d+\]$/);
    expect(sharedWithIsolab(live, process.pid, ['uts', 'mnt'])).toEqual(['uts', 'mnt']);
  });

  it('leaves out what cannot be read rather than calling it shared', () => {
    expect(namespacesOf(live, 2 ** 22 + 1, ['uts'])).toEqual({ uts: null });
    expect(sharedWithIsolab(live, 2 ** 22 + 1, ['uts'])).toEqual([]);
  });

  it('finds a named network namespace under the system root', () => {
    const machine = fixtureMachine({});
    expect(netnsFile(machine, 'isolab-lan')).toBe(join(machine.dir, 'run/netns/isolab-lan'));
    machine.dispose();
  });

  it("knows a process's root directory by the inode of a file in it", () => {
    expect(processRootIs(live, process.pid, '/', 'etc/passwd')).toBe(true);
    const elsewhere = mkdtempSync(join(tmpdir(), 'isolab-kit-root-'));
    expect(processRootIs(live, process.pid, elsewhere, 'etc/passwd')).toBe(false);
    rmSync(elsewhere, { recursive: true });
  });
});
