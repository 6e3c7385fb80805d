import { describe, expect, it } from 'vitest';
import { changedPaths, strayChanges } from './oci-spec-changes.js';

const before = { process: { args: ['sh'], terminal: true }, mounts: [{ destination: '/proc' }, { destination: '/dev' }], hostname: 'runc' };

describe('changedPaths', () => {
  it('names each changed field by its JSON path', () => {
    const after = { process: { args: ['sleep', '3600'], terminal: true }, mounts: [{ destination: '/proc' }, { destination: '/dev' }, { destination: '/tmp' }] };
    expect(changedPaths(before, after)).toEqual(['process.args[0]', 'process.args[1]', 'mounts[2]', 'hostname']);
    expect(changedPaths(before, structuredClone(before))).toEqual([]);
    expect(changedPaths(1, 2)).toEqual(['(the whole file)']);
  });
});

describe('strayChanges', () => {
  it('keeps only the changes outside the allowed prefixes', () => {
    const after = { ...structuredClone(before), hostname: 'box', process: { args: ['sh'], terminal: false } };
    expect(strayChanges(before, after, ['process.terminal'])).toEqual(['hostname']);
    expect(strayChanges(before, after, ['process', 'hostname'])).toEqual([]);
    // A prefix is a whole name: `process.term` does not allow `process.terminal`.
    expect(strayChanges(before, after, ['process.term', 'hostname'])).toEqual(['process.terminal']);
  });
});
