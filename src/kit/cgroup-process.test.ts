import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testCheckContext, type TestCheckContext } from '../../test/helpers/check-context.js';
import { hasExited, readProcess } from '../verify/index.js';
import { runInCgroup, startInCgroup } from './cgroup-process.js';

// A plain directory stands in for the cgroup: what matters is that the pid is written before the command runs.
let context: TestCheckContext;
afterEach(() => context.dispose());

describe('processes in a cgroup', () => {
  it('runs a command that has joined the cgroup first', async () => {
    context = testCheckContext();
    const result = await runInCgroup(context, context.workspace, 'sh', ['-c', 'echo $$']);
    expect(result.exitCode).toBe(0);
    expect(readFileSync(join(context.workspace, 'cgroup.procs'), 'utf8').trim()).toBe(result.stdout.trim());
  });

  it('does not run the command when joining fails', async () => {
    context = testCheckContext();
    const result = await runInCgroup(context, join(context.workspace, 'missing'), 'touch', [join(context.workspace, 'ran')]);
    expect(result.exitCode).not.toBe(0);
    expect(() => readFileSync(join(context.workspace, 'ran'))).toThrow();
  });

  it('starts a long-lived lab process there, and is done once it is there under its own argv[0]', async () => {
    context = testCheckContext();
    writeFileSync(join(context.workspace, 'cgroup.procs'), '');
    const name = `isolab-kit-cg-${process.pid}`;
    const pid = await startInCgroup(context, context.workspace, name, 'sleep', ['60']);
    try {
      // At once: a clean-up right after the start finds it by name and in the cgroup.
      expect(readProcess(context.system, pid)?.name).toBe(name);
      expect(readFileSync(join(context.workspace, 'cgroup.procs'), 'utf8').trim()).toBe(String(pid));
    } finally {
      if (!hasExited(context.system, pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('says so when the lab process cannot join the cgroup', async () => {
    context = testCheckContext();
    const name = `isolab-kit-cg-${process.pid}`;
    await expect(startInCgroup(context, join(context.workspace, 'missing'), name, 'sleep', ['60'])).rejects.toThrow(`${name} exited before it ran in ${join(context.workspace, 'missing')}`);
  });
});
