import type { FrontMatter } from './front-matter.js';

export type { FrontMatter, Question } from './front-matter.js';

export const lessonKinds = ['state', 'code', 'live-quiz', 'scenario'] as const;
export type LessonKind = (typeof lessonKinds)[number];

/**
 * Requirement keys are the capability strings src/env produces (CURRICULUM.md "Requirement keys").
 * `delegation:<ctrl>` and `cgroup1:<ctrl>` name a controller; `ns:<kind>` a namespace; `tool:<name>` a program.
 */
const requirementKey = '(root|cgroup2|cgroup2-tree|btf|bpf-lsm|tracing|bpffs|libbpf|loop-device|delegation:[a-z_]+|cgroup1:[a-z_]+|ns:(cgroup|ipc|mnt|net|pid|time|user|uts)|tool:[a-z0-9][a-z0-9._-]*)';
/** A key, or alternatives joined by `|` (met when any is): `delegation:memory|cgroup1:memory`. */
export const requirementPattern = new RegExp(`^${requirementKey}(\\|${requirementKey})*$`);

/** Everything known about a lesson without reading its body: what the prebuilt index holds. */
export interface LessonMeta extends FrontMatter {
  /** `<track>/<slug>`, e.g. `cgroups/memory-limits`. */
  id: string;
  /** `<track number>.<lesson number>`, e.g. `2.3`. */
  short: string;
  track: string;
  trackNumber: number;
  trackTitle: string;
  number: number;
  slug: string;
  /** The numbered `## Step N` headings of the body, in order. */
  steps: string[];
  /** The lesson file, relative to the package root. */
  file: string;
  /** The checker file, relative to the package root. */
  checker: string;
  next: string | null;
}
