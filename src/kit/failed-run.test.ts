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

  it('ends a quoted TODO at its quote, and reads one the program printed itself to the end of its line', () => {
    expect(todoLeft(run({ stderr: 'main.js:3\n  throw new Error(`TODO(3.2): set ${name}`);\n\nError: TODO(3.2): set x' }))).toBe('TODO(3.2): set ${name}');
    expect(todoLeft(run({ stderr: 'oci-config: TODO(3.2): set process.args to ["sh"] and process.terminal to false\n' }))).toBe('TODO(3.2): set process.args to ["sh"] and process.terminal to false');
  });

  it('says a run that never ended waits forever', () => {
    expect(explainFailedRun(run({ exitCode: null, signal: 'SIGKILL', timedOut: true }), words).message).toBe('ns-tool did not finish in time');
  });

  it("quotes the program's first line of error, or its signal", () => {
    expect(explainFailedRun(run({ exitCode: 2, stderr: 'no such pid\nmore' }), words)).toMatchObject({ message: 'ns-tool exited 2: no such pid', hint: 'Run it by hand: isolab exercise ns-tool 1 2, and read the error.' });
    expect(explainFailedRun(run({ exitCode: null, signal: 'SIGSEGV' }), words).message).toBe('ns-tool was killed by SIGSEGV');
  });
});
