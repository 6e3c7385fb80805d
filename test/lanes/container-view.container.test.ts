// Proof of the DevContainer situation on a real v2 kernel: a private cgroup namespace whose root holds the
// processes, so enabling controllers there fails until the processes move into a child (kernel-facts §3.1, §3.2).
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { writeControlFile } from '../../src/cgroup/index.js';
import { undoNesting } from '../helpers/nesting.js';

const root = '/sys/fs/cgroup';
// A suite per file: node:test runs a top-level after() only when the whole bundle ends.
describe('container view proofs', () => {
  after(() => undoNesting(root));

  const words = (file: string) => readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean);

  test('container: /proc/self/cgroup reads 0::/ and the container markers are there', () => {
    assert.equal(readFileSync('/proc/self/cgroup', 'utf8').trim(), '0::/');
    assert.ok(existsSync('/.dockerenv'));
    assert.equal(process.env.REMOTE_CONTAINERS, 'true');
  });

  test('container: the namespace root has controllers available but none enabled', () => {
    const available = words(join(root, 'cgroup.controllers'));
    for (const controller of ['cpu', 'memory', 'pids']) assert.ok(available.includes(controller), available.join(' '));
    assert.deepEqual(words(join(root, 'cgroup.subtree_control')), []);
  });

  test('container: enabling +memory at the populated namespace root fails with EBUSY', () => {
    assert.throws(() => writeControlFile(join(root, 'cgroup.subtree_control'), '+memory'), { code: 'EBUSY' });
  });

  test('container: after moving every process into init/, enabling works and a sibling takes memory.max', () => {
    mkdirSync(join(root, 'init'));
    // One pid per write; a pid may exit meanwhile (ESRCH), which is fine.
    for (let round = 0; round < 5 && words(join(root, 'cgroup.procs')).length > 0; round++) {
      for (const pid of words(join(root, 'cgroup.procs'))) {
        try {
          writeControlFile(join(root, 'init/cgroup.procs'), pid);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
        }
      }
    }
    writeControlFile(join(root, 'cgroup.subtree_control'), '+memory');
    writeControlFile(join(root, 'cgroup.subtree_control'), '+pids');
    mkdirSync(join(root, 'lab'));
    writeControlFile(join(root, 'lab/memory.max'), '67108864');
    assert.equal(readFileSync(join(root, 'lab/memory.max'), 'utf8').trim(), '67108864');
  });
});
