import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine, testCheckContext } from '../../test/helpers/check-context.js';
import { bpfPins, removeBpfPins } from './bpf-pins.js';

// Files stand in for pins: removing a real pin is unlinking it, as here (src/lab/clean.live.test.ts pins real maps).
const machines: Array<{ dispose(): void }> = [];
afterEach(() => {
  for (const machine of machines.splice(0)) machine.dispose();
});

function machineWithPins() {
  const machine = fixtureMachine({
    '/sys/fs/bpf/isolab-bpf-lsm-deny/link': '',
    '/sys/fs/bpf/isolab-bpf-lsm-deny/deny_map': '',
    '/sys/fs/bpf/isolab-enforcer': '',
    '/sys/fs/bpf/tetragon/map': '',
    '/sys/fs/bpf/progs.debug': '',
  });
  machines.push(machine);
  return { context: testCheckContext({ system: machine.system }), at: (path: string) => existsSync(join(machine.dir, path)) };
}

describe('bpf pins', () => {
  it('lists the isolab-named pins at the top of /sys/fs/bpf, and nothing else', () => {
    const { context } = machineWithPins();
    expect(bpfPins(context).sort()).toEqual(['/sys/fs/bpf/isolab-bpf-lsm-deny', '/sys/fs/bpf/isolab-enforcer']);
  });

  it("removes one lesson's pin directory, and leaves another lesson's and what is not a lab's", () => {
    const { context, at } = machineWithPins();
    expect(removeBpfPins(context, 'isolab-bpf-lsm-deny')).toBe(true);
    expect(at('sys/fs/bpf/isolab-bpf-lsm-deny')).toBe(false);
    expect([at('sys/fs/bpf/isolab-enforcer'), at('sys/fs/bpf/tetragon/map'), at('sys/fs/bpf/progs.debug')]).toEqual([true, true, true]);
    expect(removeBpfPins(context, 'isolab-bpf-lsm-deny')).toBe(false);
  });

  it('refuses a name that is not one isolab-named component without a dot', () => {
    const { context, at } = machineWithPins();
    // A dotted name is one bpffs refuses to make (EPERM), so it is never a lab's pin.
    for (const name of ['tetragon', 'isolab-bpf-lsm-deny/../../tetragon', '../isolab', '', 'isolab-bpf-lsm-deny/link', 'isolab-5.5', 'isolab..']) {
      expect(() => removeBpfPins(context, name), name).toThrow(/not a lab pin name/);
    }
    expect(at('sys/fs/bpf/tetragon/map')).toBe(true);
    expect(at('sys/fs/bpf/isolab-bpf-lsm-deny/link')).toBe(true);
  });

  it('finds nothing where /sys/fs/bpf is not there', () => {
    const machine = fixtureMachine({ '/proc/self/mountinfo': '' });
    machines.push(machine);
    expect(bpfPins(testCheckContext({ system: machine.system }))).toEqual([]);
  });
});
