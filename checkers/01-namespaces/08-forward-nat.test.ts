import { describe, expect, it } from 'vitest';
import { fixtureSystem } from '../../src/system/index.js';
import type { CheckContext, ExecResult } from '../../src/verify/index.js';
import checker from './08-forward-nat.js';

describe('1.8 setup', () => {
  it("turns forwarding off in the router it made, whatever the host's value it copied", async () => {
    const calls: string[] = [];
    const ok: ExecResult = { exitCode: 0, signal: null, stdout: '', stderr: '', timedOut: false } as ExecResult;
    const context = {
      system: fixtureSystem('/nonexistent'),
      exec: async (command: string, args: readonly string[] = []) => (calls.push([command, ...args].join(' ')), ok),
    } as unknown as CheckContext;
    await checker.setup!(context);
    const made = calls.indexOf('ip netns add isolab-router');
    const off = calls.indexOf('ip netns exec isolab-router sysctl -qw net.ipv4.ip_forward=0');
    expect(made).toBeGreaterThanOrEqual(0);
    expect(off).toBeGreaterThan(made);
  });
});
