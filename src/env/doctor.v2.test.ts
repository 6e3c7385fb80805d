// doctor on a real cgroup v2 kernel as root: the VM is seen and delegation is ok, by a probe that leaves nothing.
import { readdirSync } from 'node:fs';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { doctorInQemuGuest } from '../../test/helpers/guest-doctor.js';

// A suite per file: node:test runs a top-level after() only when the whole bundle ends.
describe('doctor on v2', () => {
  test('v2 lane: doctor --json reports a qemu VM, cgroup v2 and delegation ok, and the probe leaves no cgroup', () => {
    const before = readdirSync('/sys/fs/cgroup').sort();
    const report = doctorInQemuGuest();
        assert.equal(report.cgroup.mode, 'v2');
    assert.equal(report.cgroup.delegation.status, 'ok', report.cgroup.delegation.why);
    for (const controller of ['cpu', 'memory', 'pids']) assert.ok(report.cgroup.delegation.controllers.includes(controller));
    for (const capability of ['root', 'cgroup2', 'delegation:memory']) assert.ok(report.capabilities.includes(capability), capability);
    assert.deepEqual(readdirSync('/sys/fs/cgroup').sort(), before);
  });
});
