import { z } from 'zod';

export const lessonKinds = ['state', 'code', 'live-quiz', 'scenario'] as const;
export type LessonKind = (typeof lessonKinds)[number];

/**
 * Requirement keys are the capability strings src/env produces (CURRICULUM.md "Requirement keys").
 * `delegation:<ctrl>` and `cgroup1:<ctrl>` name a controller; `ns:<kind>` a namespace; `tool:<name>` a program.
 */
export const requirementPattern =
  /^(root|cgroup2|btf|loop-device|delegation:[a-z_]+|cgroup1:[a-z_]+|ns:(cgroup|ipc|mnt|net|pid|time|user|uts)|tool:[a-z0-9][a-z0-9._-]*)$/;

const question = z
  .object({
    key: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a question key is lower-case words joined by dashes'),
    prompt: z.string().min(1),
  })
  .strict();

export const frontMatterSchema = z
  .object({
    title: z.string().min(1),
    minutes: z.number().int().min(1).max(60),
    kind: z.enum(lessonKinds),
    requires: z.array(z.string().regex(requirementPattern, 'not a known requirement key')).default([]),
    fastPath: z.boolean().default(false),
    cgroup: z.string().min(1).optional(),
    exercises: z.array(z.string().regex(/^exercises\//, 'exercise files live under exercises/')).default([]),
    hints: z.array(z.string().min(1)).min(1, 'a lesson has at least one hint'),
    questions: z.array(question).default([]),
  })
  .strict();

export type FrontMatter = z.infer<typeof frontMatterSchema>;
export type Question = FrontMatter['questions'][number];

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
