// Creates and removes real cgroups in every hierarchy: run under the shared lock (flock /work/wt/live.lock …) as root.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liveSystem } from '../system/index.js';
import { hasExited } from '../verify/index.js';
import { cgroupDirsEverywhere, cgroupHierarchies, removeCgroupEverywhere } from './cgroup-hierarchies.js';
import { startInLabCgroup } from './cgroup-process.js';
import { labCgroups } from './lab-cgroup.js';
import { labProcessesNamed } from './lab-processes.js';

const context = { system: liveSystem() };
const root = process.geteuid?.() === 0;
const parent = `isolab/kit-everywhere-${process.pid}`;
const job = `${parent}/job`;

afterEach(() => removeCgroupEverywhere(context, parent));

describe.skipIf(!root)('a lab cgroup in every hierarchy', () => {
  it('holds a lab process the manager moved in, and goes with it from every hierarchy', async () => {
    labCgroups(context).create(job);
    const pid = await startInLabCgroup(context, job, `isolab-kit-everywhere-${process.pid}`, 'sleep', ['60']);
    const found = cgroupDirsEverywhere(context, parent);
    // The manager's hierarchies (each v1 controller's, or the v2 tree) each hold the parent and its job.
    expect(found.length).toBeGreaterThanOrEqual(2);
    expect(found.filter((cgroup) => cgroup.shown.endsWith(`/${job}`)).length).toBe(found.length / 2);
    expect(found.at(-1)!.shown.endsWith(`/${parent}`)).toBe(true);
    await removeCgroupEverywhere(context, parent);
    expect(cgroupDirsEverywhere(context, parent)).toEqual([]);
    expect(hasExited(context.system, pid)).toBe(true);
  });

  it('removes what a learner made by hand in a hierarchy the manager does not use', async () => {
    // mkdir in a cgroupfs makes a cgroup, in every hierarchy alike (the unified one of a hybrid machine too).
    for (const top of cgroupHierarchies(context)) mkdirSync(join(top.dir, job), { recursive: true });
    expect(cgroupDirsEverywhere(context, parent).length).toBe(2 * cgroupHierarchies(context).length);
    await removeCgroupEverywhere(context, parent);
    expect(cgroupDirsEverywhere(context, parent)).toEqual([]);
  });

  it('refuses a move the kernel refuses, and leaves no process behind', async () => {
    await expect(startInLabCgroup(context, `${parent}/missing`, `isolab-kit-refused-${process.pid}`, 'sleep', ['60'])).rejects.toThrow();
    expect(labProcessesNamed(context, `isolab-kit-refused-${process.pid}`)).toEqual([]);
  });
});
