// A systemd VM: the VM is detected, and a Delegate=yes scope given as ISOLAB_CGROUP_ROOT is delegation ok.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isolabBin } from '../../test/helpers/cli.js';
import { runSync } from '../../test/helpers/run.js';
import { doctorInQemuGuest } from '../../test/helpers/guest-doctor.js';

// A suite per file: node:test runs a top-level after() only when the whole bundle ends.
describe('doctor on a systemd VM', () => {
  test('systemd lane: doctor detects the VM and systemd owns the tree', () => {
    const report = doctorInQemuGuest();
        assert.equal(report.container.kind, 'none');
    assert.equal(report.cgroup.mode, 'v2');
  });

  test('systemd lane: inside a Delegate=yes scope, with the shell moved to a leaf, the scope is delegation ok', () => {
    // What a learner does: a delegated scope, leave its own cgroup for a leaf (no internal processes), enable.
    const script = [
      'set -e',
      'cg=$(sed -n "s/^0:://p" /proc/self/cgroup)',
      'dir=/sys/fs/cgroup$cg',
      'mkdir "$dir/shell" && echo $$ > "$dir/shell/cgroup.procs"',
      'for c in memory pids cpu; do echo +$c > "$dir/cgroup.subtree_control" || true; done',
      `ISOLAB_CGROUP_ROOT=$cg ISOLAB_HOME=/tmp/isolab-home "${process.execPath}" "${isolabBin}" doctor --json`,
    ].join('\n');
    const run = runSync('systemd-run', ['--scope', '--quiet', '-p', 'Delegate=yes', '--unit=isolab-doctor', 'sh', '-c', script], {
      timeout: 120_000,
    });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const report = JSON.parse(run.stdout);
    assert.match(report.cgroup.labParent, /isolab-doctor\.scope$/);
    assert.equal(report.cgroup.delegation.status, 'ok', report.cgroup.delegation.why);
    for (const controller of ['memory', 'pids']) assert.ok(report.cgroup.delegation.controllers.includes(controller), controller);
  });
});
