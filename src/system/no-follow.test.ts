import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LinkRefused, linkOnTheWay, makeDirectories, readFileNoFollow, replaceFile, writeNewFile } from './no-follow.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'isolab-no-follow-'));

describe('files in a place someone else controls', () => {
  it('writeNewFile refuses a name that is taken, by a link or a file, and writes nothing through it', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'target'), 'kept');
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    expect(() => writeNewFile(join(dir, 'link'), 'new')).toThrow(/EEXIST/);
    expect(() => writeNewFile(join(dir, 'target'), 'new')).toThrow(/EEXIST/);
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('kept');
    writeNewFile(join(dir, 'fresh'), 'made', { mode: 0o600 });
    expect(readFileSync(join(dir, 'fresh'), 'utf8')).toBe('made');
    expect(lstatSync(join(dir, 'fresh')).mode & 0o777).toBe(0o600);
  });

  it('replaceFile replaces a link with a file, leaves its target alone, and leaves no temporary file', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'target'), 'kept');
    symlinkSync(join(dir, 'target'), join(dir, 'state.json'));
    replaceFile(join(dir, 'state.json'), '{}\n');
    expect(lstatSync(join(dir, 'state.json')).isFile()).toBe(true);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe('{}\n');
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('kept');
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'target']);
  });

  it('readFileNoFollow reads a file and refuses a link', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'file'), 'text');
    symlinkSync(join(dir, 'file'), join(dir, 'link'));
    expect(readFileNoFollow(join(dir, 'file'))).toBe('text');
    expect(() => readFileNoFollow(join(dir, 'link'))).toThrow(/ELOOP/);
  });

  it('linkOnTheWay names the first link below the base, and trusts the base itself', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'real/inner'), { recursive: true });
    symlinkSync(join(dir, 'real'), join(dir, 'linked'));
    expect(linkOnTheWay(dir, 'real/inner/file.ts')).toBeUndefined();
    expect(linkOnTheWay(dir, 'linked/inner/file.ts')).toBe(join(dir, 'linked'));
    expect(linkOnTheWay(join(dir, 'linked'), 'inner/file.ts')).toBeUndefined();
    expect(linkOnTheWay(dir, 'missing/anything')).toBeUndefined();
    expect(() => linkOnTheWay(dir, '../outside')).toThrow(/not inside/);
  });

  it('makeDirectories creates what is missing and refuses a link on the way', () => {
    const dir = fresh();
    makeDirectories(dir, 'a/b/c');
    expect(lstatSync(join(dir, 'a/b/c')).isDirectory()).toBe(true);
    const elsewhere = fresh();
    symlinkSync(elsewhere, join(dir, 'a/b/link'));
    expect(() => makeDirectories(dir, 'a/b/link/d')).toThrow(LinkRefused);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
