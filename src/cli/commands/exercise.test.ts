import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IsolabError } from '../../errors/index.js';
import { exerciseNames, runExercise } from './exercise.js';

const workspace = mkdtempSync(join(tmpdir(), 'isolab-exercise-test-'));
const write = (file: string, text: string) => {
  mkdirSync(join(workspace, file, '..'), { recursive: true });
  writeFileSync(join(workspace, file), text);
};
write('exercises/echo/main.ts', "import { shout } from './shout.js';\nprocess.stdout.write(`${shout(process.argv.slice(2))} in ${process.cwd()}\\n`);\nprocess.exit(7);\n");
write('exercises/echo/shout.ts', "export const shout = (words: string[]): string => words.join(' ').toUpperCase();\n");
write('exercises/broken/main.ts', 'const x: number = ;\n');
write('exercises/killed/main.ts', "process.kill(process.pid, 'SIGKILL');\n");
write('exercises/notes/README.md', 'no main.ts here\n');
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** Runs an exercise with its output in a file, as the terminal would have shown it. */
async function run(name: string, args: string[], cwd = tmpdir()): Promise<{ code: number; output: string }> {
  const log = join(workspace, 'output.log');
  const fd = openSync(log, 'w');
  try {
    const code = await runExercise({ workspace, name, args, cwd, stdio: ['ignore', fd, fd] });
    return { code, output: readFileSync(log, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

describe('isolab exercise', () => {
  it('lists the directories with a main.ts', () => {
    expect(exerciseNames(workspace)).toEqual(['broken', 'echo', 'killed']);
  });

  it('compiles main.ts with its imports and runs it with the arguments as given, in the caller\'s directory, with its exit status', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'isolab-exercise-cwd-'));
    const result = await run('echo', ['create', 'isolab/my-mem', '--memory', '100M'], cwd);
    expect(result).toEqual({ code: 7, output: `CREATE ISOLAB/MY-MEM --MEMORY 100M in ${cwd}\n` });
    rmSync(cwd, { recursive: true });
  });

  it('exits 128 + the signal when the program is killed', async () => {
    expect((await run('killed', [])).code).toBe(128 + 9);
  });

  it('points a compile error at the file and line, exit 2', async () => {
    const error = await run('broken', []).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(IsolabError);
    expect((error as IsolabError).exitCode).toBe(2);
    expect((error as IsolabError).message).toMatch(/^your program does not compile: exercises\/broken\/main\.ts:1: /);
  });

  it('refuses an unknown exercise with exit 2, naming the close one and all of them', async () => {
    const error = (await run('ecoh', []).catch((thrown: unknown) => thrown)) as IsolabError;
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('unknown exercise "ecoh"');
    expect(error.remedy).toContain('Did you mean "echo"?');
    expect(error.remedy).toContain('broken, echo, killed');
  });
});
