import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './parse.js';
import { prepareCommand } from './program.js';
import { demoProgram } from './testing/demo-program.js';

const program = demoProgram();
const parse = (...argv: string[]) => parseCommandLine(program, argv);
/** A usage error (exit 2) with these fields. */
const usageFailure = (fields: Record<string, unknown>) => expect.objectContaining({ exitCode: 2, ...fields });

describe('reading a command line', () => {
  it('takes options anywhere; a flag not given is false, a value not given undefined', () => {
    expect(parse('--json', 'echo', 'hi', '--step', '2', 'there')).toEqual({
      name: 'echo',
      positionals: ['hi', 'there'],
      rest: [],
      flags: { json: true, step: '2', yes: false, help: false, version: false },
    });
    expect(parse('echo', '-y', '-h').flags).toMatchObject({ yes: true, help: true });
    expect(parse('-v').flags.version).toBe(true);
    expect(parse('echo', '--step=3').flags.step).toBe('3');
  });

  it('reads a negative number as a word or a value, never as an option', () => {
    expect(parse('echo', '-1', '--step', '-2', '-0.5')).toMatchObject({ positionals: ['-1', '-0.5'], flags: { step: '-2' } });
  });

  it('refuses an unknown option with exit 2, naming it and the help', () => {
    expect(() => parse('echo', '--frobnicate')).toThrow(
      usageFailure({ message: "Unknown option '--frobnicate'", remedy: '`demo --help` lists the commands and their options.' }),
    );
    expect(() => parse('echo', '--step')).toThrow(usageFailure({ message: expect.stringContaining('--step') }));
  });

  it('gives a command that takes one the words after -- as typed, and any other command them as operands', () => {
    expect(parse('exec', 'lab', '--', 'sh', '-c', 'echo --json')).toMatchObject({ positionals: ['lab'], rest: ['sh', '-c', 'echo --json'], flags: { json: false } });
    expect(parse('echo', '--', '-x', '--json')).toMatchObject({ positionals: ['-x', '--json'], rest: [], flags: { json: false } });
    expect(parse('--', 'echo', 'hi').name).toBe('echo');
  });

  it("leaves a pass-through command's words after its first operand as typed, options and -- included", () => {
    expect(parse('--step', '3', 'exercise', '--json', 'tool', '--help', '-x', '--', 'y')).toMatchObject({
      name: 'exercise',
      positionals: ['tool', '--help', '-x', '--', 'y'],
      flags: { json: true, help: false, step: '3' },
    });
    // Before the exercise is named, --help is isolab's.
    expect(parse('exercise', '--help').flags.help).toBe(true);
  });
});

describe('checking a command\'s operands', () => {
  const prepare = (...argv: string[]) => prepareCommand(program, argv);

  it('names the one missing, with the usage and an example (exit 2)', () => {
    expect(() => prepare('copy', 'a')).toThrow(usageFailure({ message: 'missing target', remedy: 'Usage: demo copy <from> <to>\nExample: demo copy hello' }));
    expect(() => prepare('echo')).toThrow(usageFailure({ message: 'missing word' }));
  });

  it('refuses one too many, but not for a last operand that takes the rest', () => {
    expect(() => prepare('copy', 'a', 'b', 'c')).toThrow(usageFailure({ message: 'unexpected argument "c"' }));
    expect(() => prepare('status', 'x')).toThrow(usageFailure({ message: 'unexpected argument "x"' }));
    expect(prepare('echo', 'a', 'b', 'c').invocation.positionals).toEqual(['a', 'b', 'c']);
    expect(prepare('exercise', 'tool').invocation.positionals).toEqual(['tool']);
  });

  it('lets an optional one be left out', () => {
    expect(prepare('list').invocation.positionals).toEqual([]);
    expect(() => prepare('list', 'a', 'b')).toThrow(usageFailure({ message: 'unexpected argument "b"' }));
  });

  it('finds a command by an alias, and gives the command a usage error of its own', () => {
    const { command, invocation } = prepare('cp', 'a', 'b');
    expect(command.name).toBe('copy');
    expect(invocation.usageError('no such file')).toMatchObject({ exitCode: 2, message: 'no such file', remedy: expect.stringContaining('Usage: demo copy') });
  });
});
