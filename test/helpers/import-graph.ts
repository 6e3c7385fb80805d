/**
 * The import graph of src/ and checkers/, read from the source text: every `import … from '…'`, `export … from
 * '…'` and `import('…')` with a relative specifier, resolved to the file it names. What the import-rule test
 * checks it against is `src/README.md`'s rules: an area is a directory under src/, and another area is entered
 * only through its `index.ts`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface ImportEdge {
  /** The importing file, relative to the repository root (`src/lab/clean.ts`). */
  from: string;
  /** The file imported, relative to the repository root. */
  to: string;
  /** 1-based line of the import, for the failure message. */
  line: number;
  /** `import type` / `export type`: erased at build time, so it makes no runtime edge. */
  typeOnly: boolean;
}

const specifierPattern = /(?:^|[\s;])(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/gm;

export function sourceFiles(root: string, dir: string): string[] {
  const files: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (/\.tsx?$/.test(entry.name)) files.push(relative(root, path));
    }
  };
  walk(join(root, dir));
  return files.sort();
}

/** `./x.js` names `x.ts` or `x.tsx` in the source tree (NodeNext resolution writes the emitted name). */
function resolveSpecifier(root: string, fromFile: string, specifier: string): string | undefined {
  const base = resolve(root, dirname(fromFile), specifier);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  for (const candidate of [`${stem}.ts`, `${stem}.tsx`, `${stem}.d.ts`, join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && !candidate.endsWith(sep)) return relative(root, candidate);
  }
  return undefined;
}

export function importsOf(root: string, file: string): ImportEdge[] {
  const text = readFileSync(join(root, file), 'utf8');
  const edges: ImportEdge[] = [];
  for (const match of text.matchAll(specifierPattern)) {
    const specifier = match[3] ?? match[4]!;
    const to = resolveSpecifier(root, file, specifier);
    if (!to) continue;
    const line = text.slice(0, match.index).split('\n').length + (match[0].startsWith('\n') ? 1 : 0);
    edges.push({ from: file, to, line, typeOnly: Boolean(match[2]) });
  }
  return edges;
}

/** The area a file of src/ belongs to (`src/lab/clean.ts` → `lab`); undefined outside src/ or at its top. */
export function areaOf(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined;
}

export function isAreaIndex(file: string): boolean {
  return /^src\/[^/]+\/index\.tsx?$/.test(file.split(sep).join('/'));
}

/** Strongly connected components of more than one node (Tarjan): each is a cycle. */
export function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}
