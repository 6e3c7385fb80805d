import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { endQuietlyWhenOutputCloses } from './closed-output.js';

const systemError = (code: string) => Object.assign(new Error(`write ${code}`), { code });

describe('endQuietlyWhenOutputCloses', () => {
  it('ends with exit 0 when the reader of the output has gone (EPIPE)', () => {
    const stream = new PassThrough();
    const exits: number[] = [];
    endQuietlyWhenOutputCloses([stream], (code) => exits.push(code));
    stream.emit('error', systemError('EPIPE'));
    expect(exits).toEqual([0]);
  });

  it('lets any other write error through (a full disk is not a reader that stopped)', () => {
    const stream = new PassThrough();
    const exits: number[] = [];
    endQuietlyWhenOutputCloses([stream], (code) => exits.push(code));
    expect(() => stream.emit('error', systemError('ENOSPC'))).toThrow('write ENOSPC');
    expect(exits).toEqual([]);
  });
});
