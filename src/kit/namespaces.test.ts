import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureSystem, liveSystem } from '../system/index.js';
import { namespacesOf, netnsFile, processRootIs, sharedWithIsolab } from './namespaces.js';

const live = { system: liveSystem() };
let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('namespaces', () => {
  it("reads a process's links, and a process shares all of isolab's with itself", () => {
    const links = namespacesOf(live, process.pid, ['uts', 'mnt']);
    expect(links.uts).toMatch(/^uts:\[\d+\]$/);
    expect(sharedWithIsolab(live, process.pid, ['uts', 'mnt'])).toEqual(['uts', 'mnt']);
  });

  it('leaves out what cannot be read rather than calling it shared', () => {
    expect(namespacesOf(live, 2 ** 22 + 1, ['uts'])).toEqual({ uts: null });
    expect(sharedWithIsolab(live, 2 ** 22 + 1, ['uts'])).toEqual([]);
  });

  it('finds a named network namespace under the system root', () => {
    dir = mkdtempSync(join(tmpdir(), 'isolab-kit-netns-'));
    expect(netnsFile({ system: fixtureSystem(dir) }, 'isolab-lan')).toBe(join(dir, 'run/netns/isolab-lan'));
  });

  it("knows a process's root directory by the inode of a file in it", () => {
    expect(processRootIs(live, process.pid, '/', 'etc/passwd')).toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'isolab-kit-root-'));
    expect(processRootIs(live, process.pid, dir, 'etc/passwd')).toBe(false);
  });
});
