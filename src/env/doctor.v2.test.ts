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

  // Debian's kernels (6.1, 6.12, the newest) build the BPF LSM in and list it in CONFIG_LSM, and load its programs
  // (bpftool's probe, as root); the guest mounts securityfs, tracefs and bpffs as systemd would.
  test('v2 lane: doctor reports BTF, the BPF LSM active from securityfs with its programs loading, tracepoints and bpffs', () => {
    const report = doctorInQemuGuest();
    assert.equal(report.ebpf.bpfLsm.active, true, report.ebpf.bpfLsm.why);
    assert.equal(report.ebpf.bpfLsm.programsLoad, true, report.ebpf.bpfLsm.programsWhy);
    assert.equal(report.ebpf.programTypes.lsm, true);
    assert.equal(report.ebpf.programTypes.tracing, true);
    assert.equal(report.ebpf.bpfLsm.source, 'securityfs');
    assert.ok(report.ebpf.bpfLsm.list.includes('bpf'), report.ebpf.bpfLsm.list.join(','));
    assert.equal(report.ebpf.tracing.tracefs, '/sys/kernel/tracing', report.ebpf.tracing.why);
    assert.equal(report.ebpf.tracing.tracepoints, true, report.ebpf.tracing.why);
    assert.deepEqual(report.ebpf.bpffs, ['/sys/fs/bpf']);
    for (const capability of ['btf', 'bpf-lsm', 'tracing', 'bpffs', 'libbpf', 'tool:bpftool']) assert.ok(report.capabilities.includes(capability), capability);
  });
});
