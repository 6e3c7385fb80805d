import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import { withLearnerProgram } from './learner-program.js';

let context: TestCheckContext;
afterEach(() => context.dispose());

function exercise(source: string): string {
  mkdirSync(join(context.workspace, 'exercises/hello'), { recursive: true });
  writeFileSync(join(context.workspace, 'exercises/hello/main.ts'), source);
  return 'exercises/hello/main.ts';
}

describe('withLearnerProgram', () => {
  it('runs the compiled program and hands its outcome back', async () => {
    context = testCheckContext();
    const entry = exercise('const who: string = process.argv[2] ?? "nobody";\nconsole.log(`hello ${who}`);\n');
    const outcome = await withLearnerProgram(context, entry, async (program) => {
      const run = await program.run(['kit']);
      return { pass: run.stdout.trim() === 'hello kit', message: run.stdout.trim() };
    });
    expect(outcome).toEqual({ pass: true, message: 'hello kit' });
  });

  it('turns a compile error into a failed check at its file and line', async () => {
    context = testCheckContext();
    const entry = exercise('const a = 1;\nconst b = ;\n');
    let ran = false;
    const outcome = await withLearnerProgram(context, { entry, name: 'hello' }, async () => ((ran = true), { pass: true, message: '' }));
    expect(ran).toBe(false);
    expect(outcome.pass).toBe(false);
    expect(outcome.message).toMatch(/^hello does not compile: exercises\/hello\/main\.ts:2: /);
    expect(outcome.hint).toMatch(/file and line/);
  });

  it('lets a bug in the check itself through', async () => {
    context = testCheckContext();
    const entry = exercise('console.log(1);\n');
    await expect(withLearnerProgram(context, entry, () => Promise.reject(new Error('checker bug')))).rejects.toThrow('checker bug');
  });

  it('mustRun returns a good run and ends the check, explained, on a failed one', async () => {
    context = testCheckContext();
    const entry = exercise('if (process.argv[2] === "todo") throw new Error("TODO(9.9): write greet");\nconsole.log("ok");\n');
    const good = await withLearnerProgram(context, { entry, name: 'hello' }, async (program) => ({ pass: true, message: (await program.mustRun(['fine'])).stdout.trim() }));
    expect(good).toEqual({ pass: true, message: 'ok' });
    const todo = await withLearnerProgram(context, { entry, name: 'hello' }, async (program) => {
      await program.mustRun(['todo'], 'greet in exercises/hello/main.ts');
      return { pass: true, message: 'not reached' };
    }).catch((error: unknown) => error);
    expect(todo).toMatchObject({ name: 'CheckFailed', outcome: { pass: false, message: 'not written yet: TODO(9.9): write greet', hint: expect.stringContaining('greet in exercises/hello/main.ts'), observed: { args: ['todo'], exitCode: 1 } } });
  });
});
