import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeEmptyDirs } from './empty-dirs.js';

describe('removeEmptyDirs', () => {
  it('removes the empty ones, children first, and leaves one with something in it', () => {
    const root = mkdtempSync(join(tmpdir(), 'isolab-kit-dirs-'));
    mkdirSync(join(root, 'lab/inner'), { recursive: true });
    mkdirSync(join(root, 'kept'));
    writeFileSync(join(root, 'kept/other-lesson'), '');
    removeEmptyDirs([join(root, 'lab/inner'), join(root, 'lab'), join(root, 'kept'), join(root, 'gone')]);
    expect([existsSync(join(root, 'lab')), existsSync(join(root, 'kept/other-lesson'))]).toEqual([false, true]);
    rmSync(root, { recursive: true });
  });
});
