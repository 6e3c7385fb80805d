// One lesson's checks never run twice at once: a second `isolab verify` of a lesson whose lab is in use is
// refused, with the pid of the one running and what to do (exit 3); a quiz, which uses no lab, is not held up.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshHome, isolab, isRoot } from '../helpers/cli.js';

describe('a lesson lab in use', () => {
  it('refuses a second verify of the lesson, and lets a quiz run', () => {
    const home = freshHome();
    const locks = isRoot ? '/run/isolab/running' : join(home, 'running');
    mkdirSync(locks, { recursive: true });
    // Another isolab checking 1.1: a live pid that is not the verifying isolab.
    const lock = join(locks, 'namespaces--uts.lock');
    writeFileSync(lock, String(process.pid));
    try {
      const second = isolab(['verify', '1.1'], { home, env: { XDG_RUNTIME_DIR: '' } });
      expect(second.code).toBe(3);
      expect(second.stderr).toContain(`isolab is already checking 1.1 on this machine (pid ${process.pid})`);
      expect(second.stderr).toContain(`kill ${process.pid}`);
      expect(second.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
      expect(isolab(['verify', '0.1'], { home }).code).toBe(1);
    } finally {
      rmSync(lock, { force: true });
    }
  });
});
