import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine } from '../../test/helpers/check-context.js';
import type { ExecResult } from '../verify/index.js';
import { fallbackTunnels, pingFrom, requireNetns, routeFrom } from './netns.js';

let dispose: () => void = () => undefined;
afterEach(() => dispose());

/** The check's failure, where the helper ended it with one. */
function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as { outcome?: unknown }).outcome;
  }
  return undefined;
}

describe('named network namespaces', () => {
  it('fail the check when one is missing, with the lesson’s hint or ip netns add', () => {
    const fixture = fixtureMachine({ '/run/netns/isolab-red': '' });
    dispose = fixture.dispose;
    expect(failure(() => requireNetns(fixture, ['isolab-red']))).toBeUndefined();
    expect(failure(() => requireNetns(fixture, ['isolab-red', 'isolab-blue']))).toEqual({
      pass: false,
      message: 'there is no network namespace named isolab-blue',
      observed: { missing: ['isolab-blue'] },
      hint: 'Create it: `ip netns add isolab-blue`.',
    });
    expect(failure(() => requireNetns(fixture, ['isolab-lan', 'isolab-wan'], 'Run `isolab start 1.8`.'))).toMatchObject({
      message: 'there are no network namespaces named isolab-lan, isolab-wan',
      hint: 'Run `isolab start 1.8`.',
    });
  });

  it('ping from inside one with ping, else busybox, else fail saying what to install', async () => {
    const fixture = fixtureMachine({});
    dispose = fixture.dispose;
    mkdirSync(join(fixture.dir, 'bin'));
    const calls: string[] = [];
    const context = {
      system: { ...fixture.system, env: { PATH: '/bin' } },
      exec: async (command: string, args: readonly string[] = []) => {
        calls.push([command, ...args].join(' '));
        return { exitCode: 0, stdout: '1 packets received\n', stderr: '', signal: null, timedOut: false } as ExecResult;
      },
    };
    await expect(pingFrom(context, 'isolab-red', '10.77.0.2')).rejects.toMatchObject({ outcome: { pass: false, message: 'neither ping nor busybox is installed' } });
    for (const tool of ['busybox', 'ping']) {
      writeFileSync(join(fixture.dir, 'bin', tool), '');
      chmodSync(join(fixture.dir, 'bin', tool), 0o755);
      expect(await pingFrom(context, 'isolab-red', '10.77.0.2')).toMatchObject({ reached: true, output: '1 packets received' });
    }
    expect(calls).toEqual(['ip netns exec isolab-red busybox ping -c 1 -W 2 10.77.0.2', 'ip netns exec isolab-red ping -c 1 -W 2 10.77.0.2']);
  });

  it('read the route a namespace would take, or why it has none', async () => {
    const answer = (exitCode: number, stdout: string, stderr: string) => ({ exec: async () => ({ exitCode, stdout, stderr, signal: null, timedOut: false }) as ExecResult });
    expect(await routeFrom(answer(0, '10.78.2.2 via 10.78.1.1 dev eth0 src 10.78.1.2\n    cache\n', ''), 'isolab-lan', '10.78.2.2')).toEqual({ route: '10.78.2.2 via 10.78.1.1 dev eth0 src 10.78.1.2' });
    expect(await routeFrom(answer(2, '', 'RTNETLINK answers: Network is unreachable\n'), 'isolab-wan', '10.78.1.2')).toEqual({ error: 'RTNETLINK answers: Network is unreachable' });
    expect([...fallbackTunnels].includes('sit0') && !fallbackTunnels.has('lo')).toBe(true);
  });
});
