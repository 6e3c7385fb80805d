import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureSystem } from '../system/index.js';
import { readSystemLink, readSystemText, systemPath } from './system-files.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function machine() {
  dir = mkdtempSync(join(tmpdir(), 'isolab-kit-files-'));
  mkdirSync(join(dir, 'proc/self/ns'), { recursive: true });
  writeFileSync(join(dir, 'proc/self/comm'), 'systemd\n');
  symlinkSync('mnt:[4026531841]', join(dir, 'proc/self/ns/mnt'));
  return { system: fixtureSystem(dir) };
}

describe('system files', () => {
  it('maps /proc, /sys and the rest onto the system being checked', () => {
    const context = machine();
    expect(systemPath(context, '/proc/1/comm')).toBe(join(dir, 'proc/1/comm'));
    expect(systemPath(context, '/sys/block')).toBe(join(dir, 'sys/block'));
    expect(systemPath(context, '/.dockerenv')).toBe(join(dir, '.dockerenv'));
    expect(systemPath(context, '/procfs')).toBe(join(dir, 'procfs'));
  });

  it('reads text and links there, and names a path it cannot read', () => {
    const context = machine();
    expect(readSystemText(context, '/proc/self/comm')).toBe('systemd');
    expect(readSystemLink(context, '/proc/self/ns/mnt')).toBe('mnt:[4026531841]');
    expect(() => readSystemText(context, '/proc/1/comm')).toThrow('cannot read /proc/1/comm: ENOENT');
  });
});
