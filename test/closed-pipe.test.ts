import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshHome, isolabBin, repoRoot } from './helpers/cli.js';
import { runSync } from './helpers/run.js';

const cgroupToolBin = join(repoRoot, 'dist/cgroup-tool.js');

/**
 * Runs `bin args…` with its stdout on a pipe whose reader, `head -1`, has already read a line and exited, so
 * the first write fails with EPIPE every time (a plain `cmd | head -1` only fails when a write comes after head
 * has gone, which depends on timing). A fifo makes the order certain: head exits before the command starts.
 */
function intoClosedPipe(bin: string, args: string[]): { head: string; code: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'isolab-pipe-'));
  const script = [
    'mkfifo "$DIR/pipe"',
    'head -1 < "$DIR/pipe" > "$DIR/head" & reader=$!',
    'exec 3> "$DIR/pipe"',
    'echo first >&3',
    'wait $reader',
    '"$NODE" "$BIN" "$@" >&3',
    'echo "exit $?" > "$DIR/code"',
    'cat "$DIR/head" "$DIR/code"',
  ].join('\n');
  const result = runSync('bash', ['-c', script, 'closed-pipe', ...args], {
    env: { NO_COLOR: '1', ISOLAB_HOME: freshHome(), DIR: dir, NODE: process.execPath, BIN: bin },
    timeout: 60_000,
  });
  const [head = '', code = ''] = result.stdout.split('\n');
  return { head, code, stderr: result.stderr };
}

describe('a closed stdout (isolab … | head)', () => {
  it.each([
    ['isolab', isolabBin, []],
    ['isolab list', isolabBin, ['list']],
    ['isolab show 1.1', isolabBin, ['show', '1.1']],
    ['isolab --help', isolabBin, ['--help']],
    ['cgroup-tool ls', cgroupToolBin, ['ls']],
    ['cgroup-tool --help', cgroupToolBin, ['--help']],
    ['cgroup-tool help', cgroupToolBin, ['help']],
  ])('%s ends quietly with exit 0 when the reader has gone', (_name, bin, args) => {
    const result = intoClosedPipe(bin, args);
    expect(result.head).toBe('first');
    expect(result.stderr).toBe('');
    expect(result.code).toBe('exit 0');
  });

  it('isolab | head -1 prints the first line and nothing on stderr', () => {
    const result = runSync('bash', ['-c', 'set -o pipefail; "$NODE" "$BIN" | head -1'], {
      env: { NO_COLOR: '1', ISOLAB_HOME: freshHome(), NODE: process.execPath, BIN: isolabBin },
      timeout: 60_000,
    });
    expect(result.stdout).toBe('00 Orientation\n');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
