import { CgroupManager } from '../cgroup/index.js';
import type { CheckContext } from '../verify/index.js';

/**
 * The lesson's lab cgroup, as its front matter names it (`cgroup: isolab/my-mem`): the one place the name is
 * written, so the live panel, the checks and the clean-up cannot disagree. A checker asking for it in a lesson
 * that names none is a bug in the course, hence a plain Error.
 */
export function labCgroup(context: Pick<CheckContext, 'lesson'>): string {
  const name = context.lesson.cgroup;
  if (!name) throw new Error(`lesson ${context.lesson.short} names no lab cgroup (front matter \`cgroup:\`)`);
  return name;
}

/** isolab's own manager prepares and removes lab cgroups: the learner's code is what is being checked. */
export function labCgroups(context: Pick<CheckContext, 'system'>): CgroupManager {
  return new CgroupManager(context.system);
}

/** Removes the cgroup (killing what runs in it, and its children) if it exists. */
export async function removeLabCgroup(context: Pick<CheckContext, 'system'>, name: string): Promise<void> {
  const cgroups = labCgroups(context);
  if (cgroups.backend.exists(name)) await cgroups.delete(name, { kill: true });
}

/** Removes the cgroup only when nothing else lives below it (a parent such as `isolab` shared by lessons). */
export async function removeLabCgroupIfEmpty(context: Pick<CheckContext, 'system'>, name: string): Promise<void> {
  const cgroups = labCgroups(context);
  if (cgroups.backend.exists(name) && cgroups.children(name).length === 0) await cgroups.delete(name, { kill: true });
}

/** A new, empty cgroup (whatever an earlier run left is removed first), with these controllers enabled. */
export async function freshLabCgroup(context: Pick<CheckContext, 'system'>, name: string, controllers?: readonly string[]): Promise<void> {
  await removeLabCgroup(context, name);
  labCgroups(context).create(name, controllers);
}

/** The lesson's own cgroup made fresh (see freshLabCgroup, labCgroup), for a check that starts from scratch; its name. */
export async function freshLessonCgroup(context: Pick<CheckContext, 'system' | 'lesson'>): Promise<string> {
  const name = labCgroup(context);
  await freshLabCgroup(context, name);
  return name;
}

/**
 * A lesson's clean-up of its lab cgroup: removes the cgroup its front matter names (and what runs in it), then
 * each parent up to `isolab` that nothing else lives in. Usable as a checker's `cleanup` as it is.
 */
export async function removeLessonCgroup(context: Pick<CheckContext, 'system' | 'lesson'>): Promise<void> {
  const name = labCgroup(context);
  await removeLabCgroup(context, name);
  const parts = name.split('/');
  for (let depth = parts.length - 1; depth > 0; depth--) await removeLabCgroupIfEmpty(context, parts.slice(0, depth).join('/'));
}
