// Modules the build generates (scripts/build.ts); tests alias them to their source-tree stand-ins.

declare module 'isolab:lesson-index' {
  import type { LessonMeta } from '../lessons/index.js';
  export const lessonIndex: LessonMeta[];
}

declare module 'isolab:checkers' {
  import type { Checker } from '../verify/index.js';
  export function loadChecker(lessonId: string): Promise<Checker>;
}
