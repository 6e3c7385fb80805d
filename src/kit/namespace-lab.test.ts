import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine, testCheckContext } from '../../test/helpers/check-context.js';
import type { CheckContext, ExecResult } from '../verify/index.js';
import { killLabProcesses } from './lab-processes.js';
import { inNamespacesOf, inNamespacesOfEach, labPidsInOwnNamespace, ownNamespaceCheck, requireLabProcesses, requireOwnNamespace, startLabProcessCalled } from './namespace-lab.js';

const lab = { name: 'isolab-kit-uts', start: "setsid -f unshare --uts bash -c 'exec -a isolab-kit-uts sleep infinity'" };

// isolab in uts:[1]; pid 300 is the newest lab process, pid 200 an older one.
function machine(namespaces: Record<number, string>) {
  const files: Record<string, string | { link: string }> = { '/proc/self/ns/uts': { link: 'uts:[1]' } };
  for (const [pid, link] of Object.entries(namespaces)) {
    files[`/proc/${pid}/cmdline`] = `${lab.name}\0infinity\0`;
    files[`/proc/${pid}/ns/uts`] = { link };
  }
  return fixtureMachine(files);
}

let dispose: () => void = () => undefined;
afterEach(() => dispose());

describe('the namespace lessons’ lab process', () => {
  it('fails the check, saying how to start it, while none runs', () => {
    const fixture = machine({});
    dispose = fixture.dispose;
    expect(() => requireLabProcesses(fixture, lab)).toThrow(expect.objectContaining({ outcome: expect.objectContaining({ pass: false, message: 'no process named isolab-kit-uts is running', hint: expect.stringContaining(lab.start) }) }));
  });

  it('passes on the candidate in a namespace of its own, newest first', () => {
    const fixture = machine({ 200: 'uts:[1]', 300: 'uts:[7]' });
    dispose = fixture.dispose;
    expect(labPidsInOwnNamespace(fixture, lab.name, 'uts')).toEqual([300]);
    expect(requireOwnNamespace(fixture, lab, 'uts', 'Fix the first check.')).toEqual([300]);
    expect(ownNamespaceCheck(fixture, lab, 'uts', '--uts')).toMatchObject({ pass: true, message: 'isolab-kit-uts (pid 300) is in uts:[7], isolab is in uts:[1]' });
  });

  it("fails on one that shares isolab's namespace, naming the unshare flag, and on one it cannot read", () => {
    const fixture = machine({ 200: 'uts:[1]' });
    dispose = fixture.dispose;
    expect(() => requireOwnNamespace(fixture, lab, 'uts', 'Fix the first check.')).toThrow(
      expect.objectContaining({ outcome: { pass: false, message: 'no isolab-kit-uts process has a UTS namespace of its own', observed: {}, hint: 'Fix the first check.' } }),
    );
    const outcome = ownNamespaceCheck(fixture, lab, 'uts', '--uts', 'Extra words.');
    expect(outcome).toMatchObject({ pass: false, message: 'isolab-kit-uts (pid 200) is in the same UTS namespace as isolab: uts:[1]' });
    expect(outcome.hint).toMatch(/unshare --uts\?.*kill 200.*Extra words\.$/);
    const unreadable = fixtureMachine({ '/proc/self/ns/uts': { link: 'uts:[1]' }, '/proc/400/cmdline': `${lab.name}\0` });
    expect(ownNamespaceCheck(unreadable, lab, 'uts', '--uts')).toMatchObject({ pass: false, message: 'cannot read /proc/400/ns/uts' });
    unreadable.dispose();
  });

  it('looks inside with nsenter, and says why it could not', async () => {
    const calls: string[][] = [];
    const exec = async (command: string, args: readonly string[] = []) => {
      calls.push([command, ...args]);
      return { exitCode: args.includes('-u') ? 0 : 1, stdout: 'box\n', stderr: 'nsenter: no such process\n', signal: null, timedOut: false } as ExecResult;
    };
    const context = { exec } as unknown as CheckContext;
    expect(await inNamespacesOf(context, 42, ['-u'], ['hostname'])).toEqual({ stdout: 'box' });
    expect(calls[0]).toEqual(['nsenter', '-t', '42', '-u', '--', 'hostname']);
    expect(await inNamespacesOf(context, 42, ['-i'], ['ipcs'])).toEqual({ error: 'nsenter: no such process' });
    expect(await inNamespacesOfEach(context, [7, 8], ['-u'], (pid) => ['cat', `/proc/${pid}/x`])).toEqual([{ pid: 7, stdout: 'box' }, { pid: 8, stdout: 'box' }]);
    expect(calls.at(-1)).toEqual(['nsenter', '-t', '8', '-u', '--', 'cat', '/proc/8/x']);
  });

  it('starts a lab process that outlives the check and waits until it runs', async () => {
    const context = testCheckContext();
    const name = `isolab-kit-ns-${process.pid}`;
    dispose = () => context.dispose();
    const pid = await startLabProcessCalled(context, name, 'bash', ['-c', `exec -a ${name} sleep 60`]);
    context.dispose();
    expect(requireLabProcesses(context, { name, start: '' }).map((entry) => entry.pid)).toEqual([pid]);
    expect(await killLabProcesses(context, name)).toEqual([pid]);
  });
});
