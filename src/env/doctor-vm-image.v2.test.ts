// doctor in a VM made from a container image, on a real kernel: the v2 lane's guest boots with an overlay root
// (the host's / below, a tmpfs above), which is what a live system or a VM image taken from a container has.
// Its stage2 hides the host's stale /.dockerenv; this test puts one back (a write into the guest's tmpfs), so the
// kernel itself answers what the fixture vm-overlay-root-stale-dockerenv records.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseMountInfo } from '../system/index.js';
import { doctorInQemuGuest } from '../../test/helpers/guest-doctor.js';

describe('doctor on a VM made from a container image (v2 lane)', () => {
  test('v2 lane: an overlay root with /.dockerenv, beside the VM\'s own init, is a VM, not a container, with the evidence', () => {
    const root = parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8')).filter((mount) => mount.mountPoint === '/').at(-1);
    assert.equal(root?.fsType, 'overlay', 'the lane boots with an overlay root');
    assert.equal(existsSync('/.dockerenv'), false, 'stage2 hides the host\'s /.dockerenv');
    writeFileSync('/.dockerenv', '');
    try {
      const report = doctorInQemuGuest();
            assert.equal(report.environment.container, 'none');
      assert.deepEqual(report.container.evidence, []);
      assert.match(
        report.environment.disregarded.join('\n'),
        /\/\.dockerenv exists, and the root filesystem is overlay, but we run beside this machine's own init: our PID namespace is the initial one \(pid:\[4026531836\]\); kernel threads are visible \(PID 2 is kthreadd\); PID 1 \([^)]*\) shares our mount namespace \(mnt:\[\d+\]\)/,
      );
    } finally {
      rmSync('/.dockerenv', { force: true });
    }
  });
});
