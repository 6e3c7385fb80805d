import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { prepareCommand } from '../../command/index.js';
import { findOnPath } from '../../env/index.js';
import { isolab } from '../program.js';

const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rootfs-command-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('isolab rootfs', () => {
  const run = async (argv: string[]) => {
    const { command, invocation } = prepareCommand(isolab, ['rootfs', ...argv]);
    return command.run({ ...invocation, workbook: () => Promise.reject(new Error('rootfs needs no workbook')) });
  };

  it('asks for the directory (exit 2)', async () => {
    await expect(run([])).rejects.toMatchObject({ exitCode: 2, message: 'missing directory' });
    await expect(run(['a', 'b'])).rejects.toMatchObject({ exitCode: 2 });
  });

  it.skipIf(!findOnPath('busybox', process.env))('builds one, says what it made and what comes next, and refuses to build twice', async () => {
    const output: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (output.push(String(chunk)), true));
    const dir = join(tempDir(), 'rootfs');
    try {
      expect(await run([dir])).toBe(0);
      await expect(run([dir])).rejects.toMatchObject({ exitCode: 2 });
      expect(await run([dir, '--force', '--json'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const text = output.join('');
    expect(text).toContain(`Built a rootfs in ${dir}`);
    expect(text).toContain(`Next: cd ${join(dir, '..')} && runc spec`);
    const json = JSON.parse(text.slice(text.indexOf('{'))) as { version: number; rootfs: { dir: string } };
    expect(json).toMatchObject({ version: 1, rootfs: { dir } });
  });
});
