import { describe, expect, it } from 'vitest';
import { LessonFormatError, parseLesson, stepTitles } from './parse.js';

const valid = `---
title: A lesson
minutes: 10
kind: state
requires: [root, tool:ip]
hints:
  - first
---
# A lesson

## Step 1: Do this
## Step 2. Then that
`;

function errorOf(text: string): string {
  try {
    parseLesson('lessons/01-x/01-y.md', text);
  } catch (error) {
    expect(error).toBeInstanceOf(LessonFormatError);
    return (error as Error).message;
  }
  throw new Error('expected a LessonFormatError');
}

describe('parseLesson', () => {
  it('reads valid front matter with defaults and the steps', () => {
    const parsed = parseLesson('x.md', valid);
    expect(parsed.frontMatter).toMatchObject({ title: 'A lesson', minutes: 10, kind: 'state', requires: ['root', 'tool:ip'], fastPath: false, exercises: [], questions: [] });
    expect(stepTitles(parsed.body)).toEqual(['Do this', 'Then that']);
    expect(parsed.bodyLine).toBe(9);
  });

  it("accepts the eBPF track's requirement keys", () => {
    const keys = ['btf', 'bpf-lsm', 'tracing', 'bpffs', 'libbpf', 'tool:bpftool', 'tool:cc'];
    const parsed = parseLesson('x.md', valid.replace('tool:ip]', `tool:ip, ${keys.join(', ')}]`));
    expect(parsed.frontMatter.requires).toEqual(['root', 'tool:ip', ...keys]);
  });

  it.each([
    ['a missing fence', 'title: x\n', ':1: the file must start with --- front matter'],
    ['an unclosed fence', '---\ntitle: x\n', ':1: the front matter has no closing ---'],
    ['a wrong kind on its line', valid.replace('kind: state', 'kind: lab'), ':4: kind: Invalid option'],
    ['an unknown requirement, at the list item', valid.replace('tool:ip]', 'tool:ip, sudo]'), ':5: requires.2: not a known requirement key'],
    ['an unknown field, by name and line', valid.replace('minutes: 10', 'minutes: 10\ncolour: red'), ':4: colour: Unrecognized key'],
    ['a missing field, at the front matter', valid.replace('title: A lesson\n', ''), ':2: title: Invalid input'],
    ['a YAML syntax error', valid.replace('minutes: 10', 'minutes: [10'), 'YAML:'],
    ['no hints', valid.replace('hints:\n  - first\n', 'hints: []\n'), 'hints: a lesson has at least one hint'],
  ])('reports %s', (_, text, expected) => {
    const message = errorOf(text);
    expect(message).toContain('lessons/01-x/01-y.md');
    expect(message).toContain(expected);
  });

  it('carries a remedy and the bad-input exit code', () => {
    try {
      parseLesson('x.md', 'nothing');
    } catch (error) {
      expect((error as LessonFormatError).exitCode).toBe(2);
      expect((error as LessonFormatError).remedy).toContain('lessons/README.md');
    }
  });
});
