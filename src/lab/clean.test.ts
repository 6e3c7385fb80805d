import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureSystem } from '../system/index.js';
import { describeTasks } from './clean.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A /proc/<pid>/status as the kernel writes it (fs/proc/array.c): tab after the colon, State with its word. */
function writeStatus(pid: number, name: string, state: string): void {
  mkdirSync(join(dir, 'proc', String(pid)), { recursive: true });
  writeFileSync(join(dir, 'proc', String(pid), 'status'), `Name:\t${name}\nUmask:\t0022\nState:\t${state}\nTgid:\t${pid}\nPid:\t${pid}\n`);
}

describe('what a clean-up says a cgroup still holds', () => {
  it('names each task and its state, and says a task in D waits in the kernel', () => {
    dir = mkdtempSync(join(tmpdir(), 'isolab-clean-'));
    writeStatus(812, 'sleep', 'D (disk sleep)');
    writeStatus(813, 'isolab svc (1)', 'S (sleeping)');
    expect(describeTasks(fixtureSystem(dir), [812, 813, 814])).toBe(
      'pid 812 (sleep, D (disk sleep): waiting in the kernel), pid 813 (isolab svc (1), S (sleeping)), pid 814',
    );
  });

  it('counts what it does not name, and says when only exiting tasks are left', () => {
    dir = mkdtempSync(join(tmpdir(), 'isolab-clean-'));
    const pids = [1, 2, 3, 4, 5, 6, 7];
    for (const pid of pids) writeStatus(pid, 'sh', 'R (running)');
    expect(describeTasks(fixtureSystem(dir), pids)).toMatch(/^pid 1 \(sh, R \(running\)\), .*pid 5 \(sh, R \(running\)\), and 2 more$/);
    expect(describeTasks(fixtureSystem(dir), [])).toContain('populated 1, cgroup.procs empty');
  });
});
