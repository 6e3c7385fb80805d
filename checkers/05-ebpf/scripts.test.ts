// The solutions start the scripts the lessons show: the two must not drift apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../test/helpers/cli.js';
import { execScript } from './02-exec-per-cgroup.js';
import { fsyncScript } from './03-counting-with-maps.js';

const lesson = (file: string) => readFileSync(join(repoRoot, 'lessons/05-ebpf', file), 'utf8');
/** The here-document that writes `path` in a lesson's shell block. */
const hereDocument = (text: string, path: string) => new RegExp(`cat > ${path} <<'EOF'\\n([\\s\\S]*?)EOF\\n`).exec(text)?.[1];

describe('the tracing lessons\' scripts', () => {
  it('5.2 writes the script its solution runs', () => {
    expect(hereDocument(lesson('02-exec-per-cgroup.md'), '/run/isolab/ebpf-exec/exec.bt')).toBe(execScript);
  });

  it('5.3 writes the script its solution runs', () => {
    expect(hereDocument(lesson('03-counting-with-maps.md'), '/run/isolab/ebpf-count/fsync.bt')).toBe(fsyncScript);
  });
});
