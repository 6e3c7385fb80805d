import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import { packageRoot } from '../system/index.js';
import { writeSolution, writeSolutionFaking } from './solution.js';

const solution = { from: 'checkers/03-oci/solutions/oci-config', to: 'exercises/oci-config', files: ['edit.ts'] };
let context: TestCheckContext;
afterEach(() => context.dispose());

describe('writeSolution', () => {
  it('copies the reference files into the exercise, making its directory', () => {
    context = testCheckContext();
    writeSolution(context, solution);
    expect(readFileSync(join(context.workspace, 'exercises/oci-config/edit.ts'), 'utf8')).toBe(readFileSync(join(packageRoot(), solution.from, 'edit.ts'), 'utf8'));
  });

  it('fakes one exported function, and refuses a function that is not there', () => {
    context = testCheckContext();
    const text = readFileSync(join(packageRoot(), solution.from, 'edit.ts'), 'utf8');
    const fn = /export function (\w+)\(/.exec(text)![1]!;
    writeSolutionFaking(context, solution, { file: 'edit.ts', fn, body: 'return 42 as never;' });
    expect(readFileSync(join(context.workspace, 'exercises/oci-config/edit.ts'), 'utf8')).toMatch(new RegExp(`export function ${fn}\\([^]*?\\{\\n  return 42 as never;\\n\\}\\n`));
    expect(() => writeSolutionFaking(context, solution, { file: 'edit.ts', fn: 'noSuchFunction', body: '' })).toThrow('no function noSuchFunction');
  });
});
