import { describe, expect, it } from 'vitest';
import type { LessonMeta } from '../lessons/index.js';
import { labCgroup } from './lab-cgroup.js';

const lesson = (front: Partial<LessonMeta>) => ({ lesson: { short: '2.3', ...front } as LessonMeta });

describe('labCgroup', () => {
  it("is the cgroup the lesson's front matter names", () => {
    expect(labCgroup(lesson({ cgroup: 'isolab/my-mem' }))).toBe('isolab/my-mem');
  });

  it('is a bug to ask for it in a lesson that names none', () => {
    expect(() => labCgroup(lesson({}))).toThrow('lesson 2.3 names no lab cgroup');
  });
});
