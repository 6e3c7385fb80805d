// Proof of systemd delegation on a real systemd-booted Debian VM (kernel-facts §3.3).
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runSync } from '../helpers/run.js';

// A suite per file: node:test runs a top-level after() only when the whole bundle ends.
describe('systemd delegation proofs', () => {
  test('systemd: systemd is PID 1 and owns the v2 tree', () => {
    assert.equal(readFileSync('/proc/1/comm', 'utf8').trim(), 'systemd');
    const enabled = readFileSync('/sys/fs/cgroup/cgroup.subtree_control', 'utf8');
    assert.match(enabled, /memory/);
    assert.match(enabled, /pids/);
  });

  test('systemd: a Delegate=yes scope gets a subtree with controllers it can enable below itself', () => {
    // Inside the scope: leave the scope's own cgroup for a leaf (no internal processes), then enable and use.
    const script = [
      'set -e',
      'cg=/sys/fs/cgroup$(sed -n "s/^0:://p" /proc/self/cgroup)',
      'mkdir "$cg/leaf" && echo $$ > "$cg/leaf/cgroup.procs"',
      'echo +memory > "$cg/cgroup.subtree_control" && echo +pids > "$cg/cgroup.subtree_control"',
      'mkdir "$cg/lab" && echo 20 > "$cg/lab/pids.max"',
      'echo "scope=$cg"; echo "controllers=$(cat "$cg/lab/cgroup.controllers")"; echo "pids.max=$(cat "$cg/lab/pids.max")"',
      'rmdir "$cg/lab"',
    ].join('\n');
    const run = runSync('systemd-run', ['--scope', '--quiet', '-p', 'Delegate=yes', '--unit=isolab-proof', 'sh', '-c', script], {
      timeout: 120_000,
    });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /scope=\/sys\/fs\/cgroup\/.*isolab-proof\.scope/);
    assert.match(run.stdout, /controllers=.*memory/);
    assert.match(run.stdout, /pids\.max=20/);
  });
});
