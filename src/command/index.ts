// The command framework both binaries share: options and operands, help, suggestions, errors to exit codes, and
// a closed output pipe. Node built-ins only: cgroup-tool starts with it.
export { flag, withValue, type Command, type Flags, type Invocation, type OptionSpec, type OptionTable, type Program } from './types.js';
export { parseCommandLine, type CommandLine } from './parse.js';
export { describeFailure, prepareCommand, runMain, runProgram } from './program.js';
export { commandHelp, commandTable } from './help.js';
export { closest, editDistance } from './suggest.js';
export { endQuietlyWhenOutputCloses } from './closed-output.js';
export { err, out } from './output.js';
