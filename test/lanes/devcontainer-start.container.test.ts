// The DevContainer's start-up script in the DevContainer situation: it makes delegation work and says so.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { isolabBin, repoRoot } from '../helpers/cli.js';
import { undoNesting } from '../helpers/nesting.js';
import { runSync } from '../helpers/run.js';

describe('DevContainer start-up', () => {
  after(() => undoNesting());

  test('container: devcontainer/start.sh fixes delegation, and doctor then reports ok', () => {
    const start = runSync('bash', ['devcontainer/start.sh'], { cwd: repoRoot, env: { ISOLAB_HOME: '/tmp/isolab-home' } });
    assert.equal(start.status, 0, start.stderr);
    assert.match(start.stdout, /isolab: DevContainer \(docker\) · cgroup v2 · delegation ok · root/);
    assert.match(start.stdout, /cgroup delegation works here; the cgroup lessons can run/);
    const report = JSON.parse(runSync(process.execPath, [isolabBin, 'doctor', '--json'], { env: { ISOLAB_HOME: '/tmp/isolab-home' } }).stdout);
    assert.equal(report.cgroup.delegation.status, 'ok');
    assert.ok(report.lessons.available.includes('cgroups/memory-limits'));
  });
});
