import { describe, expect, it } from 'vitest';
import { areaOf, cycles, isAreaIndex } from './import-graph.js';

describe('import graph', () => {
  it('names the area of a file under src/', () => {
    expect(areaOf('src/lab/clean.ts')).toBe('lab');
    expect(areaOf('src/README.md')).toBeUndefined();
    expect(areaOf('checkers/02-cgroups/03-memory-limits.ts')).toBeUndefined();
    expect(isAreaIndex('src/tui/index.ts')).toBe(true);
    expect(isAreaIndex('src/tui/hooks/index.ts')).toBe(false);
  });

  it('finds a loop between areas and nothing in a tree', () => {
    const graph = (pairs: [string, string][]) => {
      const map = new Map<string, Set<string>>();
      for (const [from, to] of pairs) map.set(from, (map.get(from) ?? new Set()).add(to));
      return map;
    };
    expect(cycles(graph([['cli', 'workbook'], ['workbook', 'verify'], ['cli', 'verify']]))).toEqual([]);
    expect(cycles(graph([['lab', 'verify'], ['verify', 'cgroup'], ['cgroup', 'lab'], ['cli', 'lab']]))).toEqual([['cgroup', 'lab', 'verify']]);
  });
});
