import { describe, expect, it } from 'vitest';
import type { VerifyDocument } from '../../report/index.js';
import type { CheckResult } from '../../verify/index.js';
import { initialVerifyState, verifyReducer, type VerifyAction, type VerifyState } from './use-verify-state.js';

const result = (id: string, status: CheckResult['status'], hint: string | null = null): CheckResult => ({
  id,
  title: `check ${id}`,
  status,
  message: `${id} ${status}`,
  observed: null,
  hint,
  durationMs: 1,
});

const document = (checks: CheckResult[], status: VerifyDocument['status']): VerifyDocument => ({
  version: 1,
  isolab: '0.0.0',
  lesson: 'a/b',
  short: '0.1',
  title: 'T',
  status,
  checks,
  startedAt: '',
  durationMs: 1,
  env: { kind: 'vm', cgroupMode: 'v2' },
});

const run = (state: VerifyState, actions: VerifyAction[]) => actions.reduce(verifyReducer, state);

describe('verifyReducer', () => {
  it('shows each check running, then its result, then the outcome', () => {
    let state = run(initialVerifyState, [{ type: 'start', source: 'verify' }, { type: 'check-start', id: 'a', title: 'check a' }]);
    expect(state).toMatchObject({ phase: 'running', checks: [{ id: 'a', status: 'running' }] });
    state = run(state, [{ type: 'check-end', result: result('a', 'pass') }, { type: 'check-start', id: 'b', title: 'check b' }]);
    expect(state.checks.map((check) => check.status)).toEqual(['pass', 'running']);
    state = run(state, [{ type: 'check-end', result: result('b', 'fail', 'try this') }, { type: 'finish', document: document([result('a', 'pass'), result('b', 'fail', 'try this')], 'fail') }]);
    expect(state).toMatchObject({ phase: 'finished', runs: 1, outcome: { status: 'fail', passed: 1, total: 2 } });
    expect(state.checks[1]).toMatchObject({ status: 'fail', message: 'b fail', hint: 'try this' });
  });

  it('starts a verify afresh, but lets watch update its last results in place', () => {
    const watched = run(initialVerifyState, [{ type: 'start', source: 'watch' }, { type: 'finish', document: document([result('a', 'fail')], 'fail') }]);
    const again = run(watched, [{ type: 'start', source: 'watch' }, { type: 'check-start', id: 'a', title: 'check a' }]);
    // No spinner flicker every two seconds: the old result stays until the new one arrives.
    expect(again.checks).toEqual(watched.checks);
    expect(again.outcome).toEqual(watched.outcome);
    expect(run(watched, [{ type: 'start', source: 'verify' }]).checks).toEqual([]);
  });

  it('keeps a verify result on screen while a watch run re-checks it', () => {
    const verified = run(initialVerifyState, [{ type: 'start', source: 'verify' }, { type: 'finish', document: document([result('a', 'pass')], 'pass') }]);
    const watching = run(verified, [{ type: 'start', source: 'watch' }, { type: 'check-start', id: 'a', title: 'check a' }]);
    expect(watching.checks).toEqual(verified.checks);
    expect(watching.outcome).toEqual(verified.outcome);
  });

  it('on a cancelled run keeps what was shown and drops the checks it had only started', () => {
    const watched = run(initialVerifyState, [{ type: 'start', source: 'watch' }, { type: 'finish', document: document([result('a', 'fail')], 'fail') }]);
    const cancelled = run(watched, [{ type: 'start', source: 'watch' }, { type: 'check-start', id: 'a', title: 'check a' }, { type: 'check-start', id: 'new', title: 'a new check' }, { type: 'cancel' }]);
    expect(cancelled).toMatchObject({ phase: 'finished', checks: watched.checks, outcome: watched.outcome, runs: 1 });
    const first = run(initialVerifyState, [{ type: 'start', source: 'watch' }, { type: 'check-start', id: 'a', title: 'check a' }, { type: 'cancel' }]);
    expect(first).toMatchObject({ phase: 'idle', checks: [] });
  });

  it('reports a locked lesson with its reasons, and a run that could not complete', () => {
    const locked = run(initialVerifyState, [{ type: 'start', source: 'verify' }, { type: 'finish', document: { ...document([], 'locked'), lockedReasons: ['needs root'] } }]);
    expect(locked.outcome).toEqual({ status: 'locked', passed: 0, total: 0, lockedReasons: ['needs root'] });
    expect(run(initialVerifyState, [{ type: 'start', source: 'verify' }, { type: 'crash', message: 'boom' }])).toMatchObject({ phase: 'finished', error: 'boom' });
  });
});
