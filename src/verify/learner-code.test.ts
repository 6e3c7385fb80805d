import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledProgramOwner } from '../lab/index.js';
import { compileLearnerProgram } from './learner-code.js';

describe('compileLearnerProgram', () => {
  it('compiles into a directory that names this isolab, so clean can tell a killed verify from a running one', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'isolab-workspace-'));
    mkdirSync(join(workspace, 'exercises/hello'), { recursive: true });
    writeFileSync(join(workspace, 'exercises/hello/main.ts'), 'console.log("hello");\n');
    const compiled = await compileLearnerProgram(workspace, 'exercises/hello/main.ts');
    expect(compiledProgramOwner(basename(dirname(compiled.file)))).toBe(process.pid);
    compiled.dispose();
    expect(existsSync(dirname(compiled.file))).toBe(false);
  });
});
