/**
 * Builds one ESM bundle per binary into dist/. The lesson index is parsed here, once, and embedded, so `list`
 * reads no Markdown; each checker becomes a chunk loaded only when its lesson is verified. The real-kernel lane
 * tests are bundled too (dist/lanes/<lane>.mjs), so the guests run plain JavaScript.
 */
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { isIsolabError } from '../src/errors/index.js';
import { loadLessons } from '../src/lessons/load.js';
import type { LessonMeta } from '../src/lessons/schema.js';

const root = resolve(import.meta.dirname, '..');
/**
 * The lanes' machines (vm/README.md). A test named `*.<machine>.test.ts` runs in every lane of that machine: a
 * lane's name is its machine, plus `-<suite>` when it boots another Debian suite's kernel (v2-sid is the v2
 * machine on sid's kernel); `vm/lanes/check.sh --list` names them all.
 */
export const machines = ['v2', 'container', 'systemd', 'lab'] as const;
// `lab` is the machine `isolab vm` boots (run.sh lab): no test lane boots it; test/lab-vm.test.ts runs its bundle
// through isolab vm itself.

function generatedModules(lessons: LessonMeta[]): Plugin {
  return {
    name: 'isolab-generated',
    setup(context) {
      context.onResolve({ filter: /^isolab:(lesson-index|checkers)$/ }, (args) => ({ path: args.path, namespace: 'isolab' }));
      context.onLoad({ filter: /.*/, namespace: 'isolab' }, (args) => {
        if (args.path === 'isolab:lesson-index') {
          return { contents: `export const lessonIndex = ${JSON.stringify(lessons)};`, loader: 'js' };
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

/** Test files that must run on a lane machine's real kernels: `*.<machine>.test.ts` anywhere under src/, test/, checkers/. */
export function laneTestFiles(machine: string): string[] {
  return ['src', 'test', 'checkers'].flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith(`.${machine}.test.ts`))
      .map((file) => join(dir, file))
      .sort(),
  );
}

const requireBanner = "import { createRequire as isolabCreateRequire } from 'node:module'; const require = isolabCreateRequire(import.meta.url);";

async function main(): Promise<void> {
  // Lessons are read before esbuild starts, so a broken lesson file is reported as one clear line.
  const lessons = loadLessons(root);
  const missing = lessons.filter((lesson) => !existsSync(join(root, lesson.checker)));
  if (missing.length > 0) throw new Error(`missing checker file: ${missing.map((lesson) => lesson.checker).join(', ')}`);
  rmSync(join(root, 'dist'), { recursive: true, force: true });

  const common: BuildOptions = {
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [generatedModules(lessons)],
    // esbuild compiles the learner's exercises at verify time; it drives a native binary, so it is not bundled.
    external: ['esbuild'],
    // ink's optional devtools hook must never load (stack.md).
    alias: { 'react-devtools-core': join(root, 'scripts/empty-module.js') },
    legalComments: 'none',
    logLevel: 'warning',
    // execa's dependencies (cross-spawn and others) are CommonJS and `require()` Node's built-ins; an ESM bundle has
    // no `require` of its own, so esbuild's shim would throw "Dynamic require of … is not supported".
    banner: { js: requireBanner },
  };
  await build({
    ...common,
    entryPoints: [
      { in: 'src/cli/main.ts', out: 'isolab' },
      { in: 'src/cgroup-tool/main.ts', out: 'cgroup-tool' },
    ],
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  });
  // C that isolab builds on the learner's machine (the BPF loader, src/kit/bpf/) ships as source beside the bundle.
  cpSync(join(root, 'src/kit/bpf'), join(root, 'dist/bpf'), { recursive: true });
  for (const machine of machines) {
    const files = laneTestFiles(machine);
    if (files.length === 0) continue;
    await build({
      ...common,
      stdin: { contents: files.map((file) => `import ${JSON.stringify(`./${file}`)};`).join('\n'), resolveDir: root, loader: 'ts' },
      outfile: `dist/lanes/${machine}.mjs`,
      // These tests rewire cgroups for the whole machine they run on; only a guest of the lane's machine may run them.
      banner: {
        js: `${requireBanner}\nif ((process.env.ISOLAB_LANE ?? '').split('-')[0] !== ${JSON.stringify(machine)}) { console.error('dist/lanes/${machine}.mjs runs only inside a ${machine} lane: vm/lanes/run.sh ${machine} -- node dist/lanes/${machine}.mjs'); process.exit(125); }`,
      },
    });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    if (isIsolabError(error) || (error instanceof Error && error.message.startsWith('missing checker'))) {
      console.error(`build failed: ${error.message}`);
      if (isIsolabError(error) && error.remedy) console.error(error.remedy);
    } else {
      console.error(error);
    }
    process.exit(1);
  });
}
