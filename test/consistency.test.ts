import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/cli/commands/index.js';
import { lessonIndex } from '../src/lessons/source-index.js';
import { loadChecker } from '../src/verify/source-checkers.js';
import { repoRoot } from './helpers/cli.js';
import { templateProblems } from './helpers/lesson-template.js';

const shortIds = new Set(lessonIndex.map((lesson) => lesson.short));
const commandNames = new Set(commands.map((command) => command.name));

describe.each(lessonIndex.map((lesson) => [lesson.id, lesson] as const))('lesson %s', (_, lesson) => {
  const text = readFileSync(join(repoRoot, lesson.file), 'utf8');

  it('has a checker whose checks, setup and questions fit the lesson', async () => {
    const checker = await loadChecker(lesson.id);
    const ids = checker.checks.map((check) => check.id);
    expect(new Set(ids).size).toBe(ids.length);
    if (lesson.kind === 'live-quiz') expect(lesson.questions.length).toBeGreaterThan(0);
    // Every question is checked, and every quiz check asks a question of the lesson.
    for (const question of lesson.questions) expect(ids).toContain(question.key);
    if (lesson.kind === 'scenario') expect(checker.setup, 'a scenario breaks something in setup').toBeDefined();
    expect(checker.solution, 'the self-test needs a solution').toBeDefined();
    // A shortcut names the checks it must leave failing; the self-test applies it.
    for (const shortcut of checker.shortcuts ?? []) {
      expect(shortcut.fails.length, shortcut.name).toBeGreaterThan(0);
      for (const id of shortcut.fails) expect(ids, `shortcut "${shortcut.name}"`).toContain(id);
    }
  });

  it('has numbered steps, hints and a "When it goes wrong" section', () => {
    expect(lesson.steps.length).toBeGreaterThan(0);
    expect(lesson.hints.length).toBeGreaterThan(0);
    expect(text).toMatch(/^## When it goes wrong$/m);
  });

  it("points to its own lab's cleanup, not to the machine-wide isolab clean", () => {
    // `isolab clean` alone kills and removes every isolab-named thing on the machine, other checkouts' too; a
    // lesson names itself (`isolab clean 1.1`, `isolab reset 1.1`) or says plainly that it means the machine-wide one.
    for (const paragraph of text.split(/\n\s*\n/)) {
      if (/`isolab clean`/.test(paragraph)) expect(paragraph, 'a bare `isolab clean`').toMatch(/machine-wide/);
    }
  });

  it('follows the lesson template, and describes no particular machine (lessons/README.md, "The text")', () => {
    const problems = templateProblems(text, lesson.short).map(({ line, problem }) => `${lesson.file}:${line}: ${problem}`);
    expect(problems).toEqual([]);
  });

  it('names only exercise files that exist', () => {
    for (const file of lesson.exercises) expect(existsSync(join(repoRoot, file)), file).toBe(true);
  });

  it('links only to files and lessons that exist, and names only real isolab commands', () => {
    for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      expect(existsSync(resolve(dirname(join(repoRoot, lesson.file)), target!)), `link ${target}`).toBe(true);
    }
    // Commands are read from code (fenced blocks and `spans`), where a learner copies them from.
    const code = [...text.matchAll(/```[a-z]*\n([\s\S]*?)```|`([^`\n]+)`/g)].map((match) => match[1] ?? match[2]).join('\n');
    for (const [, command, argument] of code.matchAll(/\bisolab ([a-z-]+)(?: (\d+\.\d+))?/g)) {
      expect(commandNames.has(command!), `isolab ${command}`).toBe(true);
      if (argument) expect(shortIds.has(argument), `lesson ${argument}`).toBe(true);
    }
  });
});

describe('the course', () => {
  it('has unique ids and short ids, in order, each linked to the next', () => {
    expect(new Set(lessonIndex.map((lesson) => lesson.id)).size).toBe(lessonIndex.length);
    expect(shortIds.size).toBe(lessonIndex.length);
    lessonIndex.forEach((lesson, index) => expect(lesson.next).toBe(lessonIndex[index + 1]?.id ?? null));
  });

  it('gives every exercise file to exactly one lesson', () => {
    const files = lessonIndex.flatMap((lesson) => lesson.exercises);
    expect(new Set(files).size).toBe(files.length);
  });

  it('has no checker without a lesson', async () => {
    const { readdirSync } = await import('node:fs');
    const checkerFiles = readdirSync(join(repoRoot, 'checkers'), { recursive: true, encoding: 'utf8' })
      .filter((file) => /^\d\d-[a-z]+\/\d\d-[a-z0-9-]+\.ts$/.test(file))
      .map((file) => `checkers/${file}`);
    expect(checkerFiles.sort()).toEqual(lessonIndex.map((lesson) => lesson.checker).sort());
  });

  it('tags the fast path on existing lessons only', () => {
    for (const lesson of lessonIndex.filter((candidate) => candidate.fastPath)) expect(shortIds.has(lesson.short)).toBe(true);
  });
});
