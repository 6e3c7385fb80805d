export { loadExeca, outputCutNote, outputLimit, ProcessGroups, runProgram, type ExecOptions, type ExecResult } from './process-groups.js';
