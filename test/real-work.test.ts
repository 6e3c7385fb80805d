// Checks that could pass without the lesson's work, settled without a live kernel. The live half is each
// checker's `shortcuts`, which the lesson self-test applies (test/helpers/selftest.ts).
import { describe, expect, it } from 'vitest';
import { gateLesson } from '../src/lessons/index.js';
import { lessonIndex } from '../src/lessons/source-index.js';

const lesson = (short: string) => lessonIndex.find((candidate) => candidate.short === short)!;

describe('3.2: runc runs the config the tool wrote', () => {
  const everything = new Set(['root', 'tool:runc', 'tool:busybox']);

  it('is locked where runc, root or busybox is missing, instead of a pass for a check that never ran', () => {
    for (const missing of everything) {
      const capabilities = new Set([...everything].filter((key) => key !== missing));
      const gate = gateLesson(lesson('3.2'), capabilities, (key) => `needs ${key}`);
      expect(gate, missing).toEqual({ available: false, reasons: [`needs ${missing}`] });
    }
    expect(gateLesson(lesson('3.2'), everything, (key) => key).available).toBe(true);
  });
});
