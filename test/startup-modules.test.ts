import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';

/**
 * The bundle files Node loads before a binary runs its first line: the entry and every chunk it imports
 * statically, transitively. What only a dynamic `import()` reaches is left out: it costs nothing at start-up.
 */
function startupFiles(entry: string): Map<string, string> {
  const loaded = new Map<string, string>();
  const visit = (file: string) => {
    if (loaded.has(file)) return;
    const text = readFileSync(file, 'utf8');
    loaded.set(file, text);
    for (const match of text.matchAll(/(?:\bfrom\s*|^import\s*)["'](\.\.?\/[^"']+)["']/gm)) visit(resolve(dirname(file), match[1]!));
  };
  visit(join(repoRoot, entry));
  return loaded;
}

describe('what the binaries load at start-up', () => {
  for (const entry of ['dist/isolab.js', 'dist/cgroup-tool.js']) {
    it(`${entry} does not load execa (it is imported when a program is first started)`, () => {
      const files = startupFiles(entry);
      expect(files.size).toBeGreaterThan(0);
      for (const [file, text] of files) expect(text, file).not.toMatch(/node_modules\/execa\//);
    });
  }

  it('execa is in the bundle, in a chunk of its own that a dynamic import reaches', () => {
    const entry = readFileSync(join(repoRoot, 'dist/isolab.js'), 'utf8');
    const all = [...startupFiles('dist/isolab.js').values()].join('\n');
    expect(entry + all).toMatch(/import\(["']\.\/(chunks\/)?execa-[\w-]+\.js["']\)/);
  });

  it('dist/isolab.js loads node:zlib only when it reads a kernel config (/proc/config.gz), not at start-up', () => {
    const all = [...startupFiles('dist/isolab.js').values()].join('\n');
    expect(all).not.toMatch(/\bfrom\s*["']node:zlib["']|^import\s*["']node:zlib["']/m);
    expect(all).toMatch(/import\(["']node:zlib["']\)/);
  });
});
