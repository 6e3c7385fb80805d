import { describe, expect, it } from 'vitest';
import { currentStep, stepStates } from './steps.js';

const step = (number: number, questionKeys: string[] = []) => ({ number, title: `Step ${number}`, tokenIndex: number, commands: [], questionKeys });

describe('steps', () => {
  it('takes the step above the reading line, a third of the way down the view', () => {
    const lines = [10, 30, 50];
    const view = (offset: number) => ({ offset, viewport: 12, content: 100 });
    expect(currentStep(lines, view(0))).toBe(0);
    expect(currentStep(lines, view(26))).toBe(1);
    expect(currentStep(lines, view(60))).toBe(2);
  });

  it('takes the last step in view at the end of the text', () => {
    expect(currentStep([10, 30, 50], { offset: 40, viewport: 20, content: 60 })).toBe(2);
    // A text that fits: the reading line decides.
    expect(currentStep([2, 30], { offset: 0, viewport: 40, content: 35 })).toBe(0);
  });

  it('marks steps done when checks proved their answers or the lesson is done, answered when only recorded', () => {
    const steps = [step(1), step(2, ['a']), step(3, ['b', 'c'])];
    expect(stepStates(steps, { a: 'proved', b: 'proved', c: 'missing' }, false)).toEqual(['todo', 'done', 'todo']);
    expect(stepStates(steps, { a: 'missing', b: 'proved', c: 'proved' }, false)).toEqual(['todo', 'todo', 'done']);
    // Recorded is not correct: a step whose answers nobody checked yet gets no ✓.
    expect(stepStates(steps, { a: 'recorded', b: 'proved', c: 'recorded' }, false)).toEqual(['todo', 'answered', 'answered']);
    expect(stepStates(steps, {}, true)).toEqual(['done', 'done', 'done']);
    // An answer the last checks found wrong marks its step failed.
    expect(stepStates(steps, { a: 'proved', b: 'proved', c: 'wrong' }, false)).toEqual(['todo', 'done', 'failed']);
  });
});
