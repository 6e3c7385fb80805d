import { afterEach, describe, expect, it } from 'vitest';
import { testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import type { ExecResult } from '../verify/index.js';
import { explainFailedRun } from './failed-run.js';
import { launchedPids, withLaunchedCommand, type Launch } from './launched-command.js';
import type { LearnerProgram } from './learner-program.js';

let context: TestCheckContext;
afterEach(() => context.dispose());

const marker = ['sleep', String(60_000 + (process.pid % 1000))];

/** A launcher that runs `script` with bash: the marker comes from `exec "$@"`. */
function launcher(script: string): LearnerProgram {
  const run = (args: readonly string[], timeoutMs?: number) => context.exec('bash', ['-c', script, 'launcher', ...args], { timeoutMs });
  const explain = (result: ExecResult, write = 'it') => explainFailedRun(result, { program: 'launcher', write, byHand: 'by hand' });
  return { run, explain, dispose: () => undefined, mustRun: () => Promise.reject(new Error('not used')) };
}

const launch = (ended?: Launch['ended']): Launch => ({ args: marker, marker, what: 'the box', byHand: 'launch it', write: 'boxArgs in box.ts', ended });

describe('withLaunchedCommand', () => {
  it('hands the marker’s pid to the check, then kills it', async () => {
    context = testCheckContext();
    const outcome = await withLaunchedCommand(context, launcher('exec "$@"'), launch(), (pid) => ({ pass: launchedPids(context, marker).includes(pid), message: `pid ${pid}` }));
    expect(outcome.pass).toBe(true);
    expect(launchedPids(context, marker)).toEqual([]);
  });

  it('fails, explained, when the launcher ends before the marker runs', async () => {
    context = testCheckContext();
    const todo = withLaunchedCommand(context, launcher('echo "TODO(9.9): write boxArgs" >&2; exit 2'), launch(), () => ({ pass: true, message: 'not reached' }));
    await expect(todo).rejects.toMatchObject({ outcome: { pass: false, message: 'not written yet: TODO(9.9): write boxArgs', hint: expect.stringContaining('boxArgs in box.ts'), observed: { exitCode: 2 } } });
    const ended = (result: ExecResult) => (result.stderr.includes('fork') ? { message: 'no fork', hint: 'add --fork' } : undefined);
    const fork = withLaunchedCommand(context, launcher('echo "bash: fork: Cannot allocate memory" >&2; exit 1'), launch(ended), () => ({ pass: true, message: 'not reached' }));
    await expect(fork).rejects.toMatchObject({ outcome: { pass: false, message: 'no fork', hint: 'add --fork', observed: { exitCode: 1 } } });
  });
});
