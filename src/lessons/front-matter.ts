import { z } from 'zod';
import { lessonKinds, requirementPattern } from './schema.js';

// Build-time only (full zod): the runtime reads the parsed index and never validates front matter.
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

