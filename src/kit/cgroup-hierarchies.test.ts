import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureMachine } from '../../test/helpers/check-context.js';
import { cgroupDirsEverywhere, cgroupHierarchies } from './cgroup-hierarchies.js';

let machine: ReturnType<typeof fixtureMachine>;
afterEach(() => machine.dispose());

// A hybrid machine: two v1 hierarchies, the unified one, and a v1 mount point mounted twice.
const mountinfo = [
  '25 21 0:22 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755',
  '26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate',
  '30 25 0:27 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory',
  '31 25 0:28 / /sys/fs/cgroup/pids rw,nosuid - cgroup cgroup rw,pids',
  '32 25 0:28 / /sys/fs/cgroup/pids rw,nosuid - cgroup cgroup rw,pids',
].join('\n');

/** A cgroup directory as cgroupfs shows it: a directory with a cgroup.procs. */
function cgroupAt(path: string): void {
  mkdirSync(join(machine.dir, path), { recursive: true });
  writeFileSync(join(machine.dir, path, 'cgroup.procs'), '');
}

describe('cgroup hierarchies', () => {
  it('lists every mounted cgroup hierarchy, v1 and v2, each mount point once', () => {
    machine = fixtureMachine({ 'proc/self/mountinfo': `${mountinfo}\n` });
    expect(cgroupHierarchies(machine).map((top) => top.shown)).toEqual(['/sys/fs/cgroup/unified', '/sys/fs/cgroup/memory', '/sys/fs/cgroup/pids']);
    expect(cgroupHierarchies(machine)[0]!.dir).toBe(join(machine.dir, 'sys/fs/cgroup/unified'));
  });

  it("finds a cgroup's directories in every hierarchy that has it, children before their parent", () => {
    machine = fixtureMachine({ 'proc/self/mountinfo': `${mountinfo}\n` });
    for (const path of ['memory/isolab/rb4', 'memory/isolab/rb4/job-1', 'memory/isolab/rb4/job-1/inner', 'memory/isolab/rb4/job-2', 'pids/isolab/rb4', 'unified/isolab/other']) cgroupAt(`sys/fs/cgroup/${path}`);
    // A directory without cgroup.procs is no cgroup (and cannot be one under cgroupfs).
    mkdirSync(join(machine.dir, 'sys/fs/cgroup/pids/isolab/rb4/not-a-cgroup'));
    const found = cgroupDirsEverywhere(machine, 'isolab/rb4').map((cgroup) => cgroup.shown);
    expect([...found].sort()).toEqual([
      '/sys/fs/cgroup/memory/isolab/rb4',
      '/sys/fs/cgroup/memory/isolab/rb4/job-1',
      '/sys/fs/cgroup/memory/isolab/rb4/job-1/inner',
      '/sys/fs/cgroup/memory/isolab/rb4/job-2',
      '/sys/fs/cgroup/pids/isolab/rb4',
    ]);
    // Deepest first: no cgroup comes before one of its children.
    found.forEach((cgroup, index) => expect(found.slice(index + 1).filter((later) => later.startsWith(`${cgroup}/`))).toEqual([]));
  });

  it('finds nothing where no hierarchy has the cgroup', () => {
    machine = fixtureMachine({ 'proc/self/mountinfo': `${mountinfo}\n` });
    expect(cgroupDirsEverywhere(machine, 'isolab/rb4')).toEqual([]);
  });
});
