// The DevContainer's start-up script in the DevContainer situation: it makes delegation work and says so.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { isolabBin, repoRoot } from '../helpers/cli.js';
import { undoNesting } from '../helpers/nesting.js';
import { runSync } from '../helpers/run.js';
import { readMountInfo } from '../../src/system/index.js';

/** The kernel filesystems start.sh mounts for the eBPF track; the lane's container starts without them, as Docker's do. */
const kernelFilesystems = ['/sys/kernel/tracing', '/sys/kernel/security', '/sys/fs/bpf'];
const mounted = (dir: string) => readMountInfo('/proc').some((mount) => mount.mountPoint === dir);

describe('DevContainer start-up', () => {
  // The next test files start from the DevContainer situation again.
  after(() => {
    undoNesting();
    for (const dir of kernelFilesystems) if (mounted(dir)) runSync('umount', [dir]);
  });

  test('container: devcontainer/start.sh fixes delegation, mounts what the eBPF track reads, and doctor then reports both', () => {
    assert.deepEqual(kernelFilesystems.filter(mounted), [], 'the container lane starts without them');
    const start = runSync('bash', ['devcontainer/start.sh'], { cwd: repoRoot, env: { ISOLAB_HOME: '/tmp/isolab-home' } });
    assert.equal(start.status, 0, start.stderr);
    assert.match(start.stdout, /isolab: DevContainer \(docker\) · cgroup v2 · delegation ok · root/);
    assert.match(start.stdout, /cgroup delegation works here; the cgroup lessons can run/);
    assert.match(start.stdout, /isolab: mounted tracefs at \/sys\/kernel\/tracing, securityfs at \/sys\/kernel\/security, bpf at \/sys\/fs\/bpf for the eBPF track\./);
    assert.deepEqual(kernelFilesystems.filter(mounted), kernelFilesystems);
    const report = JSON.parse(runSync(process.execPath, [isolabBin, 'doctor', '--json'], { env: { ISOLAB_HOME: '/tmp/isolab-home' } }).stdout);
    assert.equal(report.cgroup.delegation.status, 'ok');
    assert.ok(report.lessons.available.includes('cgroups/memory-limits'));
    for (const capability of ['tracing', 'bpffs']) assert.ok(report.capabilities.includes(capability), `${capability}: ${report.capabilities.join(' ')}`);
  });

  test('container: devcontainer/start.sh started again changes nothing and mounts nothing twice', () => {
    const again = runSync('bash', ['devcontainer/start.sh'], { cwd: repoRoot, env: { ISOLAB_HOME: '/tmp/isolab-home' } });
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /isolab: mounted|could not mount/);
    assert.match(again.stdout, /cgroup delegation works here/);
  });
});
