// Inside `isolab vm` (test/lab-vm.test.ts starts it): the machine a learner gets for the lessons their own
// machine locks. Its doctor sees cgroup v2 with delegation, and a lesson locked on the host passes its self-test
// here: it fails before its solution and after each shortcut, passes after, and leaves nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Workbook } from '../../src/workbook/index.js';
import { doctorInQemuGuest } from '../helpers/guest-doctor.js';
import { freshHome } from '../helpers/cli.js';
import { selfTest } from '../helpers/selftest.js';

// The host test names the lesson (one its machine locks); 2.3 otherwise.
const lessonKey = process.env.ISOLAB_LAB_LESSON ?? '2.3';

test('lab VM: doctor reports cgroup v2 with delegation ok, as root, in a qemu VM', () => {
  const report = doctorInQemuGuest();
  assert.equal(report.cgroup.mode, 'v2');
  assert.equal(report.cgroup.delegation.status, 'ok', report.cgroup.delegation.why);
  assert.equal(report.privileges.root, true);
  assert.ok(report.cgroup.delegation.controllers.includes('memory'), report.cgroup.delegation.controllers.join(' '));
  // What the host's lab VM facts promised for this kernel (the eBPF track's keys), the guest delivers.
  for (const capability of ['tracing', 'bpffs', 'bpf-lsm', 'btf']) assert.ok(report.capabilities.includes(capability), capability);
});

test(`lab VM: lesson ${lessonKey} self-test (fails before its solution and after each shortcut, passes after, leaves nothing)`, async () => {
  const workbook = await Workbook.open({ home: freshHome() });
  const lesson = workbook.catalog.require(lessonKey);
  assert.ok(workbook.gate(lesson).available, workbook.gate(lesson).reasons.join('; '));
  await selfTest(lesson);
});
