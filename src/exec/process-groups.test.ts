import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { goneSoon } from '../../test/helpers/process-state.js';
import { outputCutNote, outputLimit, ProcessGroups, runProgram } from './process-groups.js';

describe('ProcessGroups.exec', () => {
  it('returns output and exit status', async () => {
    const result = await new ProcessGroups().exec('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(result).toMatchObject({ exitCode: 3, signal: null, stdout: 'out\n', stderr: 'err\n', timedOut: false });
    expect(result.spawnError).toBeUndefined();
  });

  it('passes input, the working directory and exactly the environment given', async () => {
    const result = await runProgram('sh', ['-c', 'cat; pwd; echo "${HOME-unset} $ISOLAB_TEST"'], {
      input: 'typed\n',
      cwd: '/tmp',
      env: { PATH: process.env.PATH, ISOLAB_TEST: 'yes' },
    });
    expect(result.stdout).toBe('typed\n/tmp\nunset yes\n');
  });

  it('gives input to a program that does not read it without failing', async () => {
    expect(await runProgram('true', [], { input: 'x'.repeat(1 << 20) })).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('kills the whole group on timeout, grandchildren included, without waiting for them', async () => {
    const started = Date.now();
    const result = await new ProcessGroups().exec('sh', ['-c', 'sleep 30 & echo $!; wait'], { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(5_000);
    const grandchild = Number(result.stdout.trim());
    expect(grandchild).toBeGreaterThan(0);
    expect(await goneSoon(grandchild)).toBe(true);
  });

  it('settles when the leader exits, though a grandchild still holds the pipes, and kills the grandchild', async () => {
    const started = Date.now();
    const result = await runProgram('sh', ['-c', 'sleep 30 & echo $!; exit 0']);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(await goneSoon(Number(result.stdout.trim()))).toBe(true);
  });

  it('kills the group when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const result = await new ProcessGroups().exec('sh', ['-c', 'sleep 30 & echo $!; wait'], { signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: false });
    expect(await goneSoon(Number(result.stdout.trim()))).toBe(true);
  });

  it('kills every group still running on killAll', async () => {
    const groups = new ProcessGroups();
    const pending = groups.exec('sh', ['-c', 'sleep 30 & wait']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    groups.killAll();
    expect(await pending).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
  });

  it('cuts output past the limit, and says so', async () => {
    const result = await runProgram('sh', ['-c', `head -c ${outputLimit + 5000} /dev/zero | tr '\\0' x`]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('x'.repeat(outputLimit) + outputCutNote);
  });

  it('kills the groups it started when isolab exits while they run (process.exit on a closed pipe, q)', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'isolab-exec-')), 'pid');
    const script = [
      `import { existsSync, readFileSync } from 'node:fs';`,
      `import { ProcessGroups } from ${JSON.stringify(fileURLToPath(new URL('./process-groups.ts', import.meta.url)))};`,
      `void new ProcessGroups().exec('sh', ['-c', 'sleep 30 & echo $! > ${pidFile}; wait']);`,
      `setInterval(() => { if (existsSync(${JSON.stringify(pidFile)}) && readFileSync(${JSON.stringify(pidFile)}, 'utf8').trim()) process.exit(0); }, 20);`,
    ].join('\n');
    const result = await execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 30_000, reject: false });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    expect(await goneSoon(grandchild)).toBe(true);
  });

  it('reports a program that does not exist', async () => {
    const result = await new ProcessGroups().exec('isolab-no-such-program');
    expect(result.exitCode).toBeNull();
    expect(result.spawnError).toMatch(/ENOENT/);
  });
});
