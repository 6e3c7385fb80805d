import { describe, expect, it } from 'vitest';
import { liveSystem } from '../system/index.js';
import { hasExited } from '../verify/index.js';
import { startLabProcess } from '../lab/index.js';
import { killLabProcesses, labProcessesNamed } from './lab-processes.js';

const context = { system: liveSystem() };

describe('lab processes by argv[0]', () => {
  it('finds them newest first and kills them all', async () => {
    const name = `isolab-kit-test-${process.pid}`;
    const older = await startLabProcess('sleep', ['60'], { argv0: name });
    const newer = await startLabProcess('sleep', ['60'], { argv0: name });
    try {
      expect(labProcessesNamed(context, name).map((entry) => entry.pid)).toEqual([newer, older].sort((a, b) => b - a));
      expect((await killLabProcesses(context, name)).sort()).toEqual([older, newer].sort());
      expect(hasExited(context.system, older) && hasExited(context.system, newer)).toBe(true);
      expect(labProcessesNamed(context, name)).toEqual([]);
    } finally {
      for (const pid of [older, newer]) if (!hasExited(context.system, pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('refuses to kill isolab itself', async () => {
    await expect(killLabProcesses(context, [process.pid])).rejects.toThrow(/refusing/);
  });
});
