import { afterEach, describe, expect, it } from 'vitest';
import { testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import { hasExited } from '../verify/index.js';
import { markerPids, whileMarkerRuns } from './marker-process.js';

let context: TestCheckContext;
afterEach(() => context.dispose());

// A number of seconds nothing else sleeps: the marker.
const marker = { command: 'sleep', args: [`${process.pid}.4`] };
const notStarted = (result: { exitCode: number | null } | undefined) => ({ pass: false, message: result ? `exited ${result.exitCode}` : 'never started' });

describe('a marker the launcher runs', () => {
  it('hands the running marker to the check, then kills it and awaits the launcher', async () => {
    context = testCheckContext();
    let seen = 0;
    const outcome = await whileMarkerRuns(context, marker, () => context.exec('sh', ['-c', `sleep ${marker.args[0]}; true`], { timeoutMs: 20_000 }), (pid) => {
      seen = pid;
      return { pass: true, message: `pid ${pid}` };
    }, notStarted);
    expect(outcome.pass).toBe(true);
    expect(seen).toBeGreaterThan(0);
    expect(hasExited(context.system, seen)).toBe(true);
    expect(markerPids(context, marker)).toEqual([]);
  });

  it('says why when the launcher ends before its marker runs', async () => {
    context = testCheckContext();
    const outcome = await whileMarkerRuns(context, marker, () => context.exec('sh', ['-c', 'exit 3'], { timeoutMs: 5_000 }), () => ({ pass: true, message: 'ran' }), notStarted);
    expect(outcome).toEqual({ pass: false, message: 'exited 3' });
  });

  it('gives up at the deadline when the marker never runs', async () => {
    context = testCheckContext();
    const outcome = await whileMarkerRuns(context, marker, () => context.exec('sleep', ['1'], { timeoutMs: 5_000 }), () => ({ pass: true, message: 'ran' }), notStarted, 200);
    expect(outcome).toEqual({ pass: false, message: 'never started' });
  });
});
