// Creates and removes a real cgroup: run under the shared lock (flock /work/wt/live.lock …) on a root machine.
import { describe, expect, it } from 'vitest';
import { liveSystem } from '../system/index.js';
import { freshLabCgroup, labCgroups, removeLabCgroup, removeLabCgroupIfEmpty } from './lab-cgroup.js';

const context = { system: liveSystem() };
const root = process.geteuid?.() === 0;

describe.skipIf(!root)('lab cgroups', () => {
  it('makes a fresh one, keeps a parent with children, and removes both', async () => {
    const parent = `isolab/kit-test-${process.pid}`;
    const name = `${parent}/inner`;
    try {
      await freshLabCgroup(context, name);
      expect(labCgroups(context).backend.exists(name)).toBe(true);
      await removeLabCgroupIfEmpty(context, parent);
      expect(labCgroups(context).backend.exists(parent)).toBe(true);
      await removeLabCgroup(context, name);
      await removeLabCgroupIfEmpty(context, parent);
      expect(labCgroups(context).backend.exists(parent)).toBe(false);
    } finally {
      await removeLabCgroup(context, parent);
      await removeLabCgroupIfEmpty(context, 'isolab');
    }
  });
});
