import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import { programCheck } from './program-check.js';

let context: TestCheckContext;
afterEach(() => context.dispose());

describe('programCheck', () => {
  it("is a check's run that hands the compiled program and the context to the check", async () => {
    context = testCheckContext();
    mkdirSync(join(context.workspace, 'exercises/echo'), { recursive: true });
    writeFileSync(join(context.workspace, 'exercises/echo/main.ts'), 'console.log(process.argv[2]);\n');
    const run = programCheck({ entry: 'exercises/echo/main.ts', name: 'echo' }, async (program, given) => {
      const said = (await program.mustRun([given.workspace])).stdout.trim();
      return { pass: said === given.workspace, message: said };
    });
    expect(await run(context)).toEqual({ pass: true, message: context.workspace });
  });
});
