import { afterAll, describe, expect, it } from 'vitest';
import type { CheckContext, ExecResult } from '../../src/kit/index.js';
import { fixtureMachine } from '../../test/helpers/check-context.js';
import checker from './06-network.js';

// A machine where /run/netns/isolab-net1 exists and `ip -n isolab-net1 -j -d addr show` prints `links`.
const machine = fixtureMachine({ '/run/netns/isolab-net1': '' });
afterAll(() => machine.dispose());

function contextWith(links: Array<{ ifname: string; flags: string[] }>): CheckContext {
  const result = { exitCode: 0, signal: null, stdout: JSON.stringify(links), stderr: '', timedOut: false } as ExecResult;
  return { system: machine.system, exec: async () => result } as unknown as CheckContext;
}
const onlyLo = checker.checks.find((check) => check.id === 'only-lo')!;
const lo = { ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'] };

describe('1.6 only-lo', () => {
  it('passes with lo alone', async () => {
    expect(await onlyLo.run(contextWith([lo]))).toMatchObject({ pass: true, message: 'the only interface inside is lo' });
  });

  // Seen on 6.1 after modprobe sit ipip: a new namespace has sit0@NONE and tunl0@NONE, and
  // `ip link delete sit0` inside leaves it there.
  it("passes with the kernel's fallback tunnel devices beside lo, and says what they are", async () => {
    const outcome = await onlyLo.run(contextWith([lo, { ifname: 'sit0', flags: ['NOARP'] }, { ifname: 'tunl0', flags: ['NOARP'] }]));
    expect(outcome.pass).toBe(true);
    expect(outcome.message).toContain('sit0, tunl0: the fallback devices of the tunnel modules');
  });

  it('fails on an interface the learner added, fallback devices or not', async () => {
    const outcome = await onlyLo.run(contextWith([lo, { ifname: 'sit0', flags: ['NOARP'] }, { ifname: 'veth0', flags: ['BROADCAST'] }]));
    expect(outcome).toMatchObject({ pass: false });
    expect(outcome.hint).toContain('veth0');
    expect(outcome.hint).not.toContain('sit0');
  });
});
