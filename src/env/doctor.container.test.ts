// The DevContainer situation: doctor says needs-nesting; doctor --fix --yes moves the processes and then says ok.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { isolabBin } from '../../test/helpers/cli.js';
import { undoNesting } from '../../test/helpers/nesting.js';
import { runSync } from '../../test/helpers/run.js';

const isolab = (...args: string[]) =>
  runSync(process.execPath, [isolabBin, ...args], { env: { ISOLAB_HOME: '/tmp/isolab-home' } });

// A suite per file: node:test runs a top-level after() only when the whole bundle ends.
describe('doctor in a DevContainer view', () => {
  after(() => undoNesting());

  test('container lane: doctor sees a DevContainer whose delegation needs nesting, and locks the cgroup lessons with the fix', () => {
    const run = isolab('doctor', '--json');
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.environment.kind, 'devcontainer');
    assert.equal(report.container.kind, 'docker');
    assert.equal(report.container.cgroupNamespace, true);
    assert.equal(report.cgroup.delegation.status, 'needs-nesting', report.cgroup.delegation.why);
    assert.ok(!report.capabilities.includes('delegation:memory'));
  });

  test('container lane: doctor --fix without --yes and without a terminal refuses and changes nothing', () => {
    const run = isolab('doctor', '--fix');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--yes/);
    assert.equal(JSON.parse(isolab('doctor', '--json').stdout).cgroup.delegation.status, 'needs-nesting');
  });

  test('container lane: doctor --fix --yes moves the processes into init/ and delegation becomes ok', () => {
    const fix = isolab('doctor', '--fix', '--yes');
    assert.equal(fix.status, 0, `${fix.stdout}\n${fix.stderr}`);
    assert.match(fix.stdout, /Moved \d+ processes into init\//);
    const report = JSON.parse(isolab('doctor', '--json').stdout);
    assert.equal(report.cgroup.delegation.status, 'ok', report.cgroup.delegation.why);
    assert.ok(report.capabilities.includes('delegation:memory'));
    assert.match(isolab('doctor', '--fix').stdout, /Nothing to fix/);
  });
});
