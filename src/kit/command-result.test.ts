import { afterEach, describe, expect, it } from 'vitest';
import { testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import type { ExecResult } from '../verify/index.js';
import { commandJson, whatFailed } from './command-result.js';

const run = (result: Partial<ExecResult>): ExecResult => ({ exitCode: 1, signal: null, stdout: '', stderr: '', timedOut: false, ...result });
let context: TestCheckContext;
afterEach(() => context?.dispose());

describe('whatFailed', () => {
  it('prefers what the command said, then why it did not start, then how it ended', () => {
    expect(whatFailed(run({ stderr: ' Cannot find device "x"\n' }))).toBe('Cannot find device "x"');
    expect(whatFailed(run({ exitCode: null, spawnError: 'spawn ip ENOENT' }))).toBe('spawn ip ENOENT');
    expect(whatFailed(run({ exitCode: 2 }))).toBe('exit 2');
    expect(whatFailed(run({ exitCode: null, signal: 'SIGKILL', timedOut: true }))).toBe('timed out');
  });
});

describe('commandJson', () => {
  it('parses what the command prints, or says why not', async () => {
    context = testCheckContext();
    await expect(commandJson(context, 'echo', ['[{"ifname":"lo"}]'])).resolves.toEqual({ value: [{ ifname: 'lo' }] });
    await expect(commandJson(context, 'echo', ['not json'])).resolves.toEqual({ error: 'echo did not print JSON: not json' });
    await expect(commandJson(context, 'sh', ['-c', 'echo nope >&2; exit 3'])).resolves.toEqual({ error: 'sh: nope' });
  });
});
