// The runtime face of lessons: no YAML or Markdown parsing here. The loader (load.ts, parse.ts) runs at build
// time (scripts/build.ts) and in tests, and is imported from its own files.
export { Catalog } from './catalog.js';
export { gateLesson, type GateResult } from './gate.js';
export { bodyOf, readLessonBody } from './body.js';
export { answeredKey, commandSections, isShellFence, type CommandSection } from './commands.js';
export { requirementPattern, lessonKinds, type LessonMeta, type LessonKind, type Question } from './schema.js';
