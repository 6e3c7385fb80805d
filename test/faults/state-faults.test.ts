/**
 * The state directory's faults on real filesystems (needs root to mount): a read-only ISOLAB_HOME and a full
 * one. Each is an error with the path and a remedy (exit 3), never a stack trace; a verify still shows its checks;
 * nothing recorded before is lost and no temporary file is left.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolab, isRoot } from '../helpers/cli.js';
import { runSync } from '../helpers/run.js';

let work: string;
const mounted: string[] = [];

function mountTmpfs(name: string, options: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const result = runSync('mount', ['-t', 'tmpfs', '-o', options, `isolab-test-${name}`, dir]);
  if (result.status !== 0) throw new Error(`mount ${dir}: ${result.stderr}`);
  mounted.push(dir);
  return dir;
}

const noTrace = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);

describe.skipIf(!isRoot)('faults of the state directory on real filesystems (needs root)', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'isolab-state-faults-'));
  });

  afterAll(() => {
    for (const dir of mounted.reverse()) runSync('umount', [dir]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a read-only ISOLAB_HOME: verify shows its checks, then says the result was not recorded and why', () => {
    const home = mountTmpfs('read-only', 'ro,size=1m');
    const verify = isolab(['verify', '0.1', '--json'], { home });
    expect(verify.code).toBe(3);
    const document = JSON.parse(verify.stdout) as { lesson: string; checks: unknown[] };
    expect(document.lesson).toBe('orientation/your-machine');
    expect(document.checks.length).toBeGreaterThan(0);
    expect(verify.stderr).toMatch(new RegExp(`${home} is on a read-only filesystem`));
    expect(verify.stderr).toMatch(/the result above stands/);
    expect(verify.stderr).toMatch(/ISOLAB_HOME/);
    noTrace(verify.stderr);
  });

  it('a full ISOLAB_HOME: the error says so, what was recorded stays, and no temporary file is left', () => {
    const home = mountTmpfs('full', 'size=64k');
    expect(isolab(['answer', '0.1', 'pid1', 'init'], { home }).code).toBe(0);
    const before = readFileSync(join(home, 'progress.json'), 'utf8');
    // Fill what is left, then ask for a record bigger than a block.
    runSync('sh', ['-c', `cat /dev/zero > ${join(home, 'filler')}`]);
    const answered = isolab(['answer', '0.1', 'mnt-ns', 'x'.repeat(8000)], { home });
    expect(answered.code).toBe(3);
    expect(answered.stderr).toMatch(/full filesystem \(no space left on the device\)/);
    noTrace(answered.stderr);
    expect(readFileSync(join(home, 'progress.json'), 'utf8')).toBe(before);
    expect(readdirSync(home).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'))).toEqual([]);
  });

  it('progress.json that is a directory: every command says so, list included', () => {
    const home = mkdtempSync(join(work, 'dir-'));
    mkdirSync(join(home, 'progress.json'));
    writeFileSync(join(home, 'progress.json', 'x'), '');
    for (const args of [['list'], ['answer', '0.1', 'pid1', 'init']]) {
      const result = isolab(args, { home });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/progress\.json is a directory, where isolab keeps a file/);
      noTrace(result.stderr);
    }
  });
});
