// Source-tree stand-in for the build's `isolab:checkers` module: imports the checker file by path.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lessonIndex } from '../lessons/source-index.js';
import { packageRoot } from '../system/index.js';
import { toChecker } from './checker-module.js';

export async function loadChecker(lessonId: string) {
  const lesson = lessonIndex.find((candidate) => candidate.id === lessonId);
  if (!lesson) throw new Error(`no lesson ${lessonId}`);
  return toChecker(await import(pathToFileURL(join(packageRoot(), lesson.checker)).href), lessonId);
}
