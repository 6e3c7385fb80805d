import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe("isolab's messages", () => {
  // isolab and cgroup-tool are on the PATH as launchers, root's included, so nobody needs npx or sudo's PATH trick.
  it('name the commands as they are on the PATH: no npx, no sudo env "PATH=$PATH"', () => {
    const offending = sourceFiles(join(repoRoot, 'src')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, index) => ({ where: `${relative(repoRoot, file)}:${index + 1}`, line }))
        .filter(({ line }) => /\bnpx\s|PATH=\$PATH/.test(line)),
    );
    expect(offending).toEqual([]);
  });
});
