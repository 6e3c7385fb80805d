// Lesson 2.8 in a DevContainer before any fix: the container's own root holds the processes, so isolab/ctr gets
// no controllers at all; verify must point at that root. (The self-test then runs the whole repair here.)
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { writeControlFile } from '../../src/cgroup/index.js';
import { isolabBin } from '../helpers/cli.js';
import { runSync } from '../helpers/run.js';

const home = mkdtempSync(join(tmpdir(), 'isolab-lesson-delegation-'));
const isolab = (...args: string[]) => runSync(process.execPath, [isolabBin, ...args], { env: { ISOLAB_HOME: home } });
const words = (file: string) => readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean);
const ctr = '/sys/fs/cgroup/isolab/ctr';

interface CheckResult {
  id: string;
  status: string;
  hint: string | null;
}

// A suite per file: node:test runs a top-level after() only when the whole bundle ends.
describe('lesson 2.8 in a DevContainer view', () => {
  after(() => {
    const reset = isolab('reset', '2.8');
    assert.equal(reset.status, 0, reset.stderr);
  });

  test('container: the namespace root holds the processes and has enabled nothing (the fresh DevContainer)', () => {
    assert.equal(readFileSync('/proc/self/cgroup', 'utf8').trim(), '0::/');
    assert.ok(words('/sys/fs/cgroup/cgroup.procs').length > 0);
    assert.deepEqual(words('/sys/fs/cgroup/cgroup.subtree_control'), []);
  });

  test('container: after isolab start 2.8, isolab/ctr holds the app but has no controllers, so +memory is ENOENT', () => {
    const start = isolab('start', '2.8');
    assert.equal(start.status, 0, `${start.stdout}\n${start.stderr}`);
    const procs = words(join(ctr, 'cgroup.procs'));
    assert.equal(procs.length, 1);
    assert.equal(readFileSync(`/proc/${procs[0]}/cmdline`, 'utf8').split('\0')[0], 'isolab-ctr-app');
    assert.deepEqual(words(join(ctr, 'cgroup.controllers')), []);
    assert.throws(() => writeControlFile(join(ctr, 'cgroup.subtree_control'), '+memory'), { code: 'ENOENT' });
  });

  test('container: verify fails, and its hints name the container root and doctor --fix, then the process in isolab/ctr', () => {
    const verify = isolab('verify', '2.8', '--json');
    assert.equal(verify.status, 1, verify.stderr);
    const document = JSON.parse(verify.stdout) as { status: string; checks: CheckResult[] };
    assert.equal(document.status, 'fail');
    const check = (id: string) => document.checks.find((candidate) => candidate.id === id)!;
    assert.equal(check('controllers-enabled').status, 'fail');
    assert.match(check('controllers-enabled').hint ?? '', /this container's own root cgroup \/sys\/fs\/cgroup, which holds \d+ process/);
    assert.match(check('controllers-enabled').hint ?? '', /isolab doctor --fix/);
    assert.match(check('no-internal-processes').hint ?? '', /isolab\/ctr still holds 1 process \(pid \d+ isolab-ctr-app\)/);
    assert.equal(check('lab-limit').status, 'fail');
  });
});
