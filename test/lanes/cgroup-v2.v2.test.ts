// Proof, on a real cgroup v2 kernel, of the facts the cgroup lessons and tool rely on (issue: real kernels).
import { execaSync } from 'execa';
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { writeControlFile } from '../../src/cgroup/index.js';
import { detectCgroupMode } from '../../src/env/index.js';
import { liveSystem } from '../../src/system/index.js';

const root = '/sys/fs/cgroup';
const lab = join(root, 'isolab');
const proof = join(lab, 'proof');

const words = (file: string) => readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean);

// A suite per file: node:test runs a top-level after() only when the whole bundle ends.
describe('cgroup v2 proofs', () => {
  after(() => {
    for (const dir of [proof, lab]) if (existsSync(dir)) rmdirSync(dir);
  });

  test('v2: the unified hierarchy has the resource controllers at its root', () => {
    assert.equal(detectCgroupMode(liveSystem()), 'v2');
    const controllers = words(join(root, 'cgroup.controllers'));
    for (const controller of ['cpu', 'io', 'memory', 'pids']) assert.ok(controllers.includes(controller), controllers.join(' '));
  });

  test('v2: a cgroup made under isolab/ takes memory.max', () => {
    // The real root is exempt from the no-internal-processes rule, so it can enable controllers while populated.
    for (const controller of ['+memory', '+pids', '+cpu']) writeControlFile(join(root, 'cgroup.subtree_control'), controller);
    mkdirSync(lab);
    writeControlFile(join(lab, 'cgroup.subtree_control'), '+memory');
    mkdirSync(proof);
    writeControlFile(join(proof, 'memory.max'), '33554432');
    writeControlFile(join(proof, 'memory.swap.max'), '0');
    assert.equal(readFileSync(join(proof, 'memory.max'), 'utf8').trim(), '33554432');
  });

  test('v2: a process over memory.max is OOM-killed, and memory.events counts it', () => {
    // `tail /dev/zero` keeps reading one endless "line": memory grows until the limit.
    const run = execaSync('sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec tail /dev/zero', proof], { timeout: 120_000, reject: false });
    assert.equal(run.signal, 'SIGKILL');
    const events = Object.fromEntries(readFileSync(join(proof, 'memory.events'), 'utf8').trim().split('\n').map((line) => line.split(' ')));
    assert.ok(Number(events.oom_kill) >= 1, JSON.stringify(events));
  });

  test('v2: writing a missing controller file with O_WRONLY fails with ENOENT, not EACCES', () => {
    assert.throws(() => writeControlFile(join(proof, 'io.max.nonexistent'), '1'), { code: 'ENOENT' });
  });
});
