/**
 * src/README.md's rules about imports, enforced: an area (a directory under src/) is entered from another area,
 * and from checkers/, only through its `index.ts`; and no two areas import each other, directly or round a
 * longer loop. Like the bundle test that keeps ink out of the headless commands, this fails at the import that
 * breaks the rule, with its file and line.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { areaOf, cycles, importsOf, isAreaIndex, sourceFiles, type ImportEdge } from './helpers/import-graph.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const isTest = (file: string): boolean => /\.test\.tsx?$/.test(file);

/**
 * Build- and test-time modules that tests reach directly (src/README.md, "Generated modules"): the lesson
 * parser pulls in yaml and must never be in the runtime's import graph, so it has no place in an index.
 */
const testTimeModules = new Set(['src/lessons/load.ts', 'src/lessons/parse.ts', 'src/lessons/source-index.ts', 'src/verify/source-checkers.ts']);

const edges: ImportEdge[] = [...sourceFiles(root, 'src'), ...sourceFiles(root, 'checkers')].flatMap((file) => importsOf(root, file));

function crossesWithoutIndex(edge: ImportEdge): boolean {
  const target = areaOf(edge.to);
  if (target === undefined || target === areaOf(edge.from)) return false;
  if (isAreaIndex(edge.to)) return false;
  return !((isTest(edge.from) || testTimeModules.has(edge.from)) && testTimeModules.has(edge.to));
}

const where = (edge: ImportEdge): string => `${edge.from}:${edge.line} imports ${edge.to}`;

describe('import rules (src/README.md)', () => {
  it('reads the imports it judges', () => {
    // A parser that finds nothing would pass every rule: the tree has hundreds of relative imports.
    expect(edges.length).toBeGreaterThan(300);
    expect(edges.some((edge) => edge.from.startsWith('checkers/') && areaOf(edge.to) !== undefined)).toBe(true);
  });

  it('enters another area only through its index.ts', () => {
    expect(edges.filter(crossesWithoutIndex).map(where)).toEqual([]);
  });

  it('has no import cycle between areas', () => {
    const graph = new Map<string, Set<string>>();
    for (const edge of edges) {
      const from = areaOf(edge.from);
      const to = areaOf(edge.to);
      if (from === undefined || to === undefined || from === to || isTest(edge.from)) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
    const explain = (cycle: string[]): string =>
      `${cycle.join(' ⇄ ')}: ${edges
        .filter((edge) => !isTest(edge.from) && cycle.includes(areaOf(edge.from) ?? '') && cycle.includes(areaOf(edge.to) ?? '') && areaOf(edge.from) !== areaOf(edge.to))
        .map(where)
        .join('; ')}`;
    expect(cycles(graph).map(explain)).toEqual([]);
  });
});
