/**
 * A CheckContext for tests of the checker kit and of checkers' helpers: the live machine (or a fixture tree),
 * a scratch workspace, a lesson with only the front matter a test gives, and programs run in process groups that
 * `dispose` kills, as the runner does when a check ends.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LessonMeta } from '../../src/lessons/index.js';
import { fixtureSystem, liveSystem, type SystemRoot } from '../../src/system/index.js';
import { ProcessGroups, type CheckContext } from '../../src/verify/index.js';

export interface TestCheckContext extends CheckContext {
  /** Stops the check: aborts its signal, as a timeout or a cancelled run does. */
  abort(): void;
  /** Kills what it started and removes the scratch workspace (unless one was given). */
  dispose(): void;
}

export function testCheckContext(options: { system?: SystemRoot; lesson?: Partial<LessonMeta>; workspace?: string } = {}): TestCheckContext {
  const groups = new ProcessGroups();
  const controller = new AbortController();
  const workspace = options.workspace ?? mkdtempSync(join(tmpdir(), 'isolab-kit-'));
  const lesson = { id: 'test/lesson', short: '9.1', slug: 'lesson', ...options.lesson } as LessonMeta;
  return {
    lesson,
    system: options.system ?? liveSystem(),
    answers: {},
    workspace,
    signal: controller.signal,
    exec: (command, args, execOptions) => groups.exec(command, args, execOptions),
    abort: () => controller.abort(),
    dispose() {
      controller.abort();
      groups.killAll();
      if (!options.workspace) rmSync(workspace, { recursive: true, force: true });
    },
  };
}

/**
 * A made-up machine for a test: a fixture tree holding these files (paths as the machine names them,
 * `/proc/self/mountinfo`; a value `{ link }` is a symbolic link), read through its SystemRoot.
 */
export function fixtureMachine(files: Record<string, string | { link: string }>): { system: SystemRoot; dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'isolab-machine-'));
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    if (typeof content === 'string') writeFileSync(file, content);
    else symlinkSync(content.link, file);
  }
  return { system: fixtureSystem(dir), dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
