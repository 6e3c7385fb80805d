import { blockedError, usageError } from '../../errors/index.js';
import { flag, withValue, type Command, type Invocation, type Program } from '../types.js';

// A small program for the framework's tests: one command of each kind the two binaries have.
export const demoOptions = { json: flag, step: withValue, yes: { ...flag, short: 'y' } } as const;
export type DemoContext = Invocation<typeof demoOptions>;

const command = (name: string, fields: Partial<Command<DemoContext>> = {}): Command<DemoContext> => ({
  name,
  usage: `${name} <word>`,
  summary: `the ${name} command`,
  example: `demo ${name} hello`,
  operands: 'word',
  run: async () => 0,
  ...fields,
});

export const demoCommands: Command<DemoContext>[] = [
  command('echo', { usage: 'echo <word> [more…]', operands: 'word, more…?' }),
  command('copy', { aliases: ['cp'], usage: 'copy <from> <to>', operands: 'source, target' }),
  command('list', { usage: 'list [where]', operands: 'where?' }),
  command('status', { usage: 'status', operands: undefined, run: async () => 1 }),
  command('exec', { usage: 'exec <group> -- <command…>', operands: 'group name', takesCommand: true }),
  command('exercise', { usage: 'exercise <name> [args…]', operands: 'exercise name, arguments…?', passThrough: true }),
  command('refuse', {
    operands: 'why',
    run: async (context) => {
      if (context.positionals[0] === 'usage') throw usageError('that is not how', 'Do it this way.');
      if (context.positionals[0] === 'blocked') throw blockedError('not on this machine');
      throw new TypeError('a bug');
    },
  }),
];

export function demoProgram(fields: Partial<Program<typeof demoOptions, DemoContext>> = {}): Program<typeof demoOptions, DemoContext> {
  return {
    name: 'demo',
    version: () => '1.2.3',
    options: demoOptions,
    commands: demoCommands,
    overview: () => 'demo: the overview',
    context: (invocation) => invocation,
    errorLine: (message) => `demo: ${message}`,
    ...fields,
  };
}
