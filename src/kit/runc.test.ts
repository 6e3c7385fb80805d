import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../verify/index.js';
import { containerState, deleteContainer, listContainers, runcOrThrow, runcSaid, waitForStatus, type ContainerState } from './runc.js';

const result = (fields: Partial<ExecResult>): ExecResult => ({ exitCode: 0, signal: null, stdout: '', stderr: '', timedOut: false, ...fields });
const state = (status: ContainerState['status']): ContainerState => ({ id: 'isolab-x', pid: 42, status, bundle: '/b', rootfs: '/b/rootfs' });

/** A context whose runc answers from `answer(args)`, recording each call. */
function fakeRunc(answer: (args: readonly string[]) => Partial<ExecResult>) {
  const calls: string[] = [];
  const context = {
    signal: new AbortController().signal,
    async exec(command: string, args: readonly string[] = []) {
      calls.push([command, ...args].join(' '));
      return result(answer(args));
    },
  };
  return { context, calls };
}

describe('runcSaid', () => {
  it("takes the msg of runc's last log line, else the last line, else how it ended", () => {
    const logged = 'time="…" level=error msg="container \\"x\\" does not exist"\n';
    expect(runcSaid(result({ exitCode: 1, stderr: `level=warning msg="first"\n${logged}` }))).toBe('container "x" does not exist');
    expect(runcSaid(result({ exitCode: 1, stderr: 'one\nno such file' }))).toBe('no such file');
    expect(runcSaid(result({ exitCode: null, signal: 'SIGKILL' }))).toBe('killed by SIGKILL');
    expect(runcSaid(result({ exitCode: 3 }))).toBe('exit 3');
  });
});

describe('runc commands', () => {
  it('reads a state, or the reason there is none', async () => {
    const { context } = fakeRunc((args) => (args[1] === 'isolab-x' ? { stdout: JSON.stringify(state('running')) } : { exitCode: 1, stderr: 'msg="container does not exist"' }));
    expect(await containerState(context, 'isolab-x')).toEqual({ state: state('running') });
    expect(await containerState(context, 'isolab-y')).toEqual({ error: 'container does not exist' });
  });

  it('lists no container when runc prints null, and throws with its words when it fails', async () => {
    expect(await listContainers(fakeRunc(() => ({ stdout: 'null\n' })).context)).toEqual([]);
    await expect(listContainers(fakeRunc(() => ({ exitCode: 1, stderr: 'msg="permission denied"' })).context)).rejects.toThrow('runc list --format json: permission denied');
    await expect(runcOrThrow(fakeRunc(() => ({ exitCode: 1, stderr: 'bad' })).context, ['start', 'x'])).rejects.toThrow('runc start x: bad');
  });

  it('deletes only a container runc knows', async () => {
    const known = fakeRunc((args) => (args[0] === 'list' ? { stdout: 'isolab-a\nisolab-x\n' } : {}));
    await deleteContainer(known.context, 'isolab-x');
    expect(known.calls).toEqual(['runc list --quiet', 'runc delete --force isolab-x']);
    const unknown = fakeRunc(() => ({ stdout: 'isolab-a\n' }));
    await deleteContainer(unknown.context, 'isolab-x');
    expect(unknown.calls).toEqual(['runc list --quiet']);
  });

  it('waits for a status and gives the last state seen when it does not come', async () => {
    const statuses: ContainerState['status'][] = ['running', 'running', 'stopped'];
    const stopping = fakeRunc(() => ({ stdout: JSON.stringify(state(statuses.shift() ?? 'stopped')) }));
    expect((await waitForStatus(stopping.context, 'isolab-x', 'stopped'))?.status).toBe('stopped');
    const stuck = fakeRunc(() => ({ stdout: JSON.stringify(state('paused')) }));
    expect((await waitForStatus(stuck.context, 'isolab-x', 'stopped', 200))?.status).toBe('paused');
  });
});
