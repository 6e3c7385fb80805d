import type { LessonMeta } from './schema.js';

export interface GateResult {
  available: boolean;
  /** One sentence per missing capability, with what to do about it here. */
  reasons: string[];
}

/** A lesson is available when every requirement is among the machine's capabilities. */
export function gateLesson(lesson: LessonMeta, capabilities: ReadonlySet<string>, explain: (key: string) => string): GateResult {
  // Several keys can share one cause (no cgroup v2 at all): say it once.
  const met = (key: string) => key.split('|').some((alternative) => capabilities.has(alternative));
  const reasons = [...new Set(lesson.requires.filter((key) => !met(key)).map(explain))];
  return { available: reasons.length === 0, reasons };
}
