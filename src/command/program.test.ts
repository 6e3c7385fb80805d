import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExitCode, usageError } from '../errors/index.js';
import { describeFailure, runProgram } from './program.js';
import { demoProgram } from './testing/demo-program.js';

let stdout: string;
let stderr: string;
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

const run = (...argv: string[]) => runProgram(demoProgram(), argv);

describe('help and version', () => {
  it('prints the version', async () => {
    expect(await run('--version')).toBe(0);
    expect(stdout).toBe('1.2.3\n');
  });

  it('prints the overview for --help and help, and for nothing at all with exit 2', async () => {
    expect(await run('--help')).toBe(0);
    expect(await run('help')).toBe(0);
    expect(await run()).toBe(ExitCode.usage);
    expect(stdout).toBe('demo: the overview\n'.repeat(3));
  });

  it('runs the program alone when it says what to do then', async () => {
    const alone = vi.fn(async () => 7);
    expect(await runProgram(demoProgram({ alone }), ['--json'])).toBe(7);
    expect(alone).toHaveBeenCalledWith(expect.objectContaining({ positionals: [], flags: expect.objectContaining({ json: true }) }));
  });

  it("prints a command's help for help <command> and <command> --help, before its operands are checked", async () => {
    const help = 'Usage: demo copy <from> <to>\n\nthe copy command.\n\nAlso called: cp\n\nExample: demo copy hello\n';
    expect(await run('help', 'copy')).toBe(0);
    expect(stdout).toBe(help);
    stdout = '';
    expect(await run('cp', '--help')).toBe(0);
    expect(stdout).toBe(help);
    expect(stderr).toBe('');
  });
});

describe('errors to exit codes', () => {
  it("passes the command's own code on", async () => {
    expect(await run('status')).toBe(1);
    expect(await run('echo', 'hi')).toBe(0);
  });

  it.each([
    ['a mistyped command: the closest one suggested', ['ecoh', 'x'], 2, 'demo: unknown command "ecoh"\nDid you mean "demo echo"? `demo --help` lists every command.\n'],
    ['nothing close to suggest, for help <command> too', ['help', 'zzzzzz'], 2, 'demo: unknown command "zzzzzz"\n`demo --help` lists every command.\n'],
    ['bad input: the message and the remedy, no stack', ['refuse', 'usage'], 2, 'demo: that is not how\nDo it this way.\n'],
    ['blocked by the environment', ['refuse', 'blocked'], 3, 'demo: not on this machine\n'],
  ])('%s: exit %#', async (_what, argv, code, said) => {
    expect(await run(...argv)).toBe(code);
    expect(stderr).toBe(said);
  });

  it('anything else is a bug: exit 4 with the stack', async () => {
    expect(await run('refuse', 'bug')).toBe(4);
    expect(stderr).toMatch(/^demo: internal error \(a bug in demo; please report it with this output\):\nTypeError: a bug\n\s+at /);
  });

  it('describes a failure without printing it', () => {
    expect(describeFailure(demoProgram(), usageError('bad', 'fix it'))).toEqual({ code: 2, lines: ['demo: bad', 'fix it'] });
    expect(describeFailure(demoProgram(), 'a string thrown')).toEqual({ code: 4, lines: ['demo: internal error (a bug in demo; please report it with this output):', 'a string thrown'] });
  });
});
