import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine } from '../../test/helpers/check-context.js';
import { readSystemLink, readSystemText, systemPath } from './system-files.js';

let machine: ReturnType<typeof fixtureMachine>;
afterEach(() => machine.dispose());

describe('system files', () => {
  it('maps /proc, /sys and the rest onto the system being checked', () => {
    machine = fixtureMachine({});
    expect(systemPath(machine, '/proc/1/comm')).toBe(join(machine.dir, 'proc/1/comm'));
    expect(systemPath(machine, '/sys/block')).toBe(join(machine.dir, 'sys/block'));
    expect(systemPath(machine, '/.dockerenv')).toBe(join(machine.dir, '.dockerenv'));
    expect(systemPath(machine, '/procfs')).toBe(join(machine.dir, 'procfs'));
  });

  it('reads text and links there, and names a path it cannot read', () => {
    machine = fixtureMachine({ 'proc/self/comm': 'systemd\n', 'proc/self/ns/mnt': { link: 'mnt:[4026531841]' } });
    expect(readSystemText(machine, '/proc/self/comm')).toBe('systemd');
    expect(readSystemLink(machine, '/proc/self/ns/mnt')).toBe('mnt:[4026531841]');
    expect(() => readSystemText(machine, '/proc/1/comm')).toThrow('cannot read /proc/1/comm: ENOENT');
  });
});
