// Creates and removes a real cgroup: run under the shared lock (flock /work/wt/live.lock …) on a root machine.
import { describe, expect, it } from 'vitest';
import { liveSystem } from '../system/index.js';
import type { LessonMeta } from '../lessons/index.js';
import { freshLabCgroup, freshLessonCgroup, labCgroups, removeLabCgroup, removeLabCgroupIfEmpty, removeLessonCgroup } from './lab-cgroup.js';

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

  it("makes the lesson's cgroup fresh, then removes it and the parents it leaves empty", async () => {
    const name = `isolab/kit-lesson-${process.pid}/svc`;
    const lesson = { ...context, lesson: { short: '9.9', cgroup: name } as LessonMeta };
    expect(await freshLessonCgroup(lesson)).toBe(name);
    expect(labCgroups(context).backend.exists(name)).toBe(true);
    await removeLessonCgroup(lesson);
    expect(labCgroups(context).backend.exists(`isolab/kit-lesson-${process.pid}`)).toBe(false);
  });
});
