import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../verify/index.js';
import { explainFailedRun, todoLeft } from './failed-run.js';

const words = { program: 'ns-tool', write: 'compareNamespaces in exercises/ns-tool/namespaces.ts', byHand: 'isolab exercise ns-tool 1 2' };
const run = (result: Partial<ExecResult>): ExecResult => ({ exitCode: 1, signal: null, stdout: '', stderr: '', timedOut: false, ...result });

describe('explainFailedRun', () => {
  it('quotes the TODO the skeleton still throws and says what to write', () => {
    const failed = explainFailedRun(run({ stderr: '\nns-tool: TODO(1.11): compare the links\n    at x' }), words);
    expect(failed).toEqual({
      pass: false,
      message: 'not written yet: TODO(1.11): compare the links',
      hint: 'Write compareNamespaces in exercises/ns-tool/namespaces.ts (it throws the TODO until you do).',
    });
    expect(todoLeft(run({ stdout: 'ok' }))).toBeUndefined();
  });

  it('says a run that never ended waits forever', () => {
    expect(explainFailedRun(run({ exitCode: null, signal: 'SIGKILL', timedOut: true }), words).message).toBe('ns-tool did not finish in time');
  });

  it("quotes the program's first line of error, or its signal", () => {
    expect(explainFailedRun(run({ exitCode: 2, stderr: 'no such pid\nmore' }), words)).toMatchObject({ message: 'ns-tool exited 2: no such pid', hint: 'Run it by hand: isolab exercise ns-tool 1 2, and read the error.' });
    expect(explainFailedRun(run({ exitCode: null, signal: 'SIGSEGV' }), words).message).toBe('ns-tool was killed by SIGSEGV');
  });
});
