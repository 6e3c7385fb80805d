/**
 * Builds one ESM bundle per binary into dist/. The lesson index is parsed here, once, and embedded, so `list`
 * reads no Markdown; each checker becomes a chunk loaded only when its lesson is verified.
 */
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { loadLessons } from '../src/lessons/load.js';
import type { LessonMeta } from '../src/lessons/schema.js';
import { isIsolabError } from '../src/errors/index.js';

const root = resolve(import.meta.dirname, '..');

function generatedModules(lessons: LessonMeta[]): Plugin {
  return {
    name: 'isolab-generated',
    setup(context) {
      context.onResolve({ filter: /^isolab:(lesson-index|checkers)$/ }, (args) => ({ path: args.path, namespace: 'isolab' }));
      context.onLoad({ filter: /.*/, namespace: 'isolab' }, (args) => {
        if (args.path === 'isolab:lesson-index') {
          return { contents: `export const lessonIndex = ${JSON.stringify(lessons)};`, loader: 'js', watchFiles: lessons.map((l) => join(root, l.file)) };
        }
        const loaders = lessons
          .map((lesson) => `  ${JSON.stringify(lesson.id)}: () => import(${JSON.stringify(join(root, lesson.checker))}),`)
          .join('\n');
        return {
          contents: [
            `import { toChecker } from ${JSON.stringify(join(root, 'src/verify/checker-module.ts'))};`,
            `const loaders = {\n${loaders}\n};`,
            'export async function loadChecker(id) {',
            '  const load = loaders[id];',
            '  if (!load) throw new Error(`no checker for ${id}`);',
            '  return toChecker(await load(), id);',
            '}',
          ].join('\n'),
          loader: 'js',
          resolveDir: root,
        };
      });
    },
  };
}

async function main(): Promise<void> {
  // Lessons are read before esbuild starts, so a broken lesson file is reported as one clear line.
  const lessons = loadLessons(root);
  const missing = lessons.filter((lesson) => !existsSync(join(root, lesson.checker)));
  if (missing.length > 0) throw new Error(`missing checker file: ${missing.map((lesson) => lesson.checker).join(', ')}`);
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: [{ in: 'src/cli/main.ts', out: 'isolab' }],
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    plugins: [generatedModules(lessons)],
    // ink's optional devtools hook must never load (stack.md).
    alias: { 'react-devtools-core': join(root, 'scripts/empty-module.js') },
    legalComments: 'none',
    logLevel: 'warning',
  });
}

main().catch((error: unknown) => {
  if (isIsolabError(error) || (error instanceof Error && error.message.startsWith('missing checker'))) {
    console.error(`build failed: ${error.message}`);
    if (isIsolabError(error) && error.remedy) console.error(error.remedy);
  } else {
    console.error(error);
  }
  process.exit(1);
});
