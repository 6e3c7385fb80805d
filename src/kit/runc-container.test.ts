import { describe, expect, it } from 'vitest';
import { testCheckContext } from '../../test/helpers/check-context.js';
import { CheckFailed, namespaceInode, namespaceOf, readProcess, type ExecResult } from '../verify/index.js';
import { containerCheck, namespaceInodeOf, runningCheck, runningContainer } from './runc-container.js';
import type { ContainerState } from './runc.js';

const bundle = '/tmp/isolab-lab/oci/kit';
const container = { id: 'isolab-kit', bundle };

/** A check context whose runc state answers with this state (or that the container does not exist). */
function contextWith(state: Partial<ContainerState> | undefined) {
  const context = testCheckContext();
  context.exec = async (): Promise<ExecResult> =>
    state
      ? { exitCode: 0, signal: null, timedOut: false, stderr: '', stdout: JSON.stringify({ id: container.id, pid: process.pid, bundle, rootfs: `${bundle}/rootfs`, status: 'running', ...state }) }
      : { exitCode: 1, signal: null, timedOut: false, stdout: '', stderr: 'msg="container does not exist"' };
  return context;
}

async function failureOf(state: Partial<ContainerState> | undefined) {
  const context = contextWith(state);
  try {
    await runningContainer(context, container.id, bundle);
    throw new Error('the check did not fail');
  } catch (error) {
    if (!(error instanceof CheckFailed)) throw error;
    return error.outcome;
  } finally {
    context.dispose();
  }
}

describe('runningContainer', () => {
  it('gives the state of a running container of the bundle', async () => {
    const context = contextWith({});
    expect(await runningContainer(context, container.id, bundle)).toMatchObject({ status: 'running', pid: process.pid });
    context.dispose();
  });

  it('fails the check with a hint for each other state runc reports', async () => {
    expect(await failureOf(undefined)).toMatchObject({ message: 'runc knows no container isolab-kit (container does not exist)', hint: expect.stringContaining(`runc run -d --bundle ${bundle} isolab-kit`) });
    expect(await failureOf({ bundle: '/elsewhere' })).toMatchObject({ message: `isolab-kit was made from /elsewhere, not ${bundle}`, observed: { bundle: '/elsewhere' } });
    expect(await failureOf({ status: 'created' })).toMatchObject({ message: 'isolab-kit is created but not started', hint: expect.stringContaining('runc start isolab-kit') });
    expect(await failureOf({ status: 'stopped' })).toMatchObject({ message: 'isolab-kit is stopped: its process has exited', hint: expect.stringContaining('["sleep", "3600"]') });
    expect(await failureOf({ status: 'paused' })).toMatchObject({ message: 'isolab-kit is paused', hint: expect.stringContaining('runc resume isolab-kit') });
  });
});

describe('checks of a container', () => {
  it('hand the running state to the check, and say what runs', async () => {
    const context = contextWith({});
    const check = containerCheck(container, { id: 'pid', title: 'its pid', tag: 'observe' }, async (_context, { pid }) => ({ pass: pid === process.pid, message: String(pid) }));
    expect(check).toMatchObject({ id: 'pid', title: 'its pid', tag: 'observe' });
    expect(await check.run(context)).toEqual({ pass: true, message: String(process.pid) });
    const running = runningCheck(container);
    expect(running).toMatchObject({ id: 'running', title: 'runc reports isolab-kit running', tag: 'observe' });
    expect(await running.run(context)).toMatchObject({ pass: true, observed: { status: 'running', pid: process.pid, args: readProcess(context.system, process.pid)!.argv } });
    context.dispose();
  });
});

describe('namespaceInodeOf', () => {
  it("is the inode in the process's namespace link", () => {
    const live = testCheckContext();
    expect(namespaceInodeOf(live, 'self', 'net')).toBe(namespaceInode(namespaceOf(live.system, 'self', 'net')!));
    expect(namespaceInodeOf(live, 2 ** 22 + 1, 'net')).toBeUndefined();
    live.dispose();
  });
});
