import { describe, expect, it } from 'vitest';
import { lessonIndex } from '../lessons/source-index.js';
import { Catalog, editDistance } from './catalog.js';

describe('Catalog', () => {
  const catalog = new Catalog(lessonIndex);

  it('finds a lesson by id and by short form', () => {
    expect(catalog.require('orientation/your-machine').short).toBe('0.1');
    expect(catalog.require('0.2').id).toBe('orientation/root-and-capabilities');
  });

  it('links each lesson to the next in course order', () => {
    expect(catalog.require('0.1').next).toBe('orientation/root-and-capabilities');
  });

  it('rejects an unknown id with exit 2 and close matches', () => {
    expect(() => catalog.require('orientation/your-machin')).toThrowError(/unknown lesson/);
    try {
      catalog.require('your-machin');
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(2);
      expect((error as { remedy: string }).remedy).toContain('orientation/your-machine');
    }
  });

  it('suggests nothing for something unrelated', () => {
    expect(catalog.suggest('zzzzzzzzzzzz')).toEqual([]);
  });

  it('measures edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
