import { describe, expect, it } from 'vitest';
import { lessonIndex } from '../lessons/source-index.js';
import { Catalog } from './catalog.js';

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

  const shorts = (key: string) => catalog.suggest(key).map((lesson) => lesson.short);
  const ids = (key: string) => catalog.suggest(key).map((lesson) => lesson.id);

  it.each([
    ['1.21', ['1.12', '1.1', '1.2']],
    ['1.1.2', ['1.12']],
    ['11.2', ['1.12', '1.2']],
    ['12', ['1.2']],
    ['0.11', ['0.1', '1.11']],
    ['10.1', ['0.1', '1.1']],
    ['2,3', ['2.3']],
  ])('suggests short forms close to a mistyped short form: %s', (typed, expected) => {
    expect(shorts(typed)).toEqual(expected);
  });

  it.each([
    ['namespace/uts', ['namespaces/uts']],
    ['cgroup/memory-limits', ['cgroups/memory-limits']],
    ['your-machin', ['orientation/your-machine']],
    ['mini-contianer', ['namespaces/mini-container']],
  ])('suggests ids close to a mistyped id or slug: %s', (typed, expected) => {
    expect(ids(typed)).toEqual(expected);
  });

  it('names suggestions in the form that was typed', () => {
    const remedy = (key: string) => {
      try {
        catalog.require(key);
      } catch (error) {
        return (error as { remedy: string }).remedy;
      }
      throw new Error(`${key} was found`);
    };
    expect(remedy('1.21')).toMatch(/^Did you mean "1\.12" \(namespaces\/mini-container\), "1\.1" \(namespaces\/uts\) or "1\.2" \(namespaces\/pid\)\?/);
    expect(remedy('namespace/uts')).toMatch(/^Did you mean "namespaces\/uts"\?/);
  });

  it('suggests nothing for something unrelated', () => {
    expect(catalog.suggest('zzzzzzzzzzzz')).toEqual([]);
  });
});
