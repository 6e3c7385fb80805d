import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import { CheckFailed, type CheckOutcome } from '../verify/index.js';
import { withLearnerProgram } from './learner-program.js';
import { jsonNumberAt, mustReportKernelFigure, type ReportedFigure } from './reported-figure.js';

let context: TestCheckContext | undefined;
afterEach(() => context?.dispose());

/** A program that prints `{"cpu":{"throttled":<argv[2]>}}`, checked against a kernel count that goes from 3 to 5. */
async function reporting(figure: string): Promise<CheckOutcome> {
  const check = (context = testCheckContext());
  mkdirSync(join(check.workspace, 'exercises/stats'), { recursive: true });
  writeFileSync(join(check.workspace, 'exercises/stats/main.ts'), 'const figure = JSON.parse(process.argv[2] ?? "null");\nconsole.log(JSON.stringify({ cpu: { throttled: figure } }));\n');
  const reads = [3, 5];
  const spec: Omit<ReportedFigure, 'args'> = { path: 'cpu.throttled', write: 'cpuStats', kernel: () => reads.shift()!, counts: 'throttled periods', hint: 'read cpu.stat' };
  return withLearnerProgram(check, 'exercises/stats/main.ts', async (program) => {
    try {
      const value = await mustReportKernelFigure(program, { ...spec, args: [figure] });
      return { pass: true, message: String(value) };
    } catch (error) {
      if (error instanceof CheckFailed) return error.outcome;
      throw error;
    }
  });
}

describe('jsonNumberAt', () => {
  it('finds a number by its dotted path, and nothing else', () => {
    expect(jsonNumberAt('{"memory":{"oomKills":2}}', 'memory.oomKills')).toBe(2);
    expect(jsonNumberAt('{"memory":{"oomKills":"2"}}', 'memory.oomKills')).toBeUndefined();
    expect(jsonNumberAt('{"memory":null}', 'memory.oomKills')).toBeUndefined();
    expect(jsonNumberAt('not json', 'memory')).toBeUndefined();
  });
});

describe('mustReportKernelFigure', () => {
  it('takes a figure between the kernel counts before and after the run', async () => {
    expect(await reporting('4')).toEqual({ pass: true, message: '4' });
  });

  it('fails on a figure outside them, saying both', async () => {
    const outcome = await reporting('1');
    expect(outcome).toMatchObject({ pass: false, message: 'the kernel counts 3 to 5 throttled periods; 1 says cpu.throttled is 1', hint: 'read cpu.stat' });
    expect(outcome.observed).toEqual({ kernelBefore: 3, kernelAfter: 5, reported: 1 });
  });

  it('fails on a missing figure, showing what was printed', async () => {
    expect((await reporting('null')).message).toMatch(/cpu\.throttled is missing \(it printed \{"cpu":\{"throttled":null\}\}\)$/);
  });
});
