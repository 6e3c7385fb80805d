/**
 * Facts a lesson states about the kernel and its tools, checked on this machine's kernel (and, through the
 * lanes, on theirs): a lesson that promises an output the learner never sees is a bug. Needs root.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findOnPath } from '../src/env/index.js';
import { isRoot, repoRoot } from './helpers/cli.js';
import { runSync } from './helpers/run.js';

const hasTools = ['unshare', 'ps'].every((tool) => findOnPath(tool, process.env) !== null);
const reason = !isRoot ? 'needs root' : !hasTools ? 'needs unshare (util-linux) and ps (procps)' : '';

function inNewPidNamespace(script: string, extra: string[] = []) {
  return runSync('unshare', ['--pid', '--fork', ...extra, 'sh', '-c', script], { timeout: 60_000 });
}

describe.skipIf(reason !== '')(`lesson 1.2's /proc facts (live${reason ? `: skipped, ${reason}` : ''})`, () => {
  const lesson = readFileSync(`${repoRoot}/lessons/01-namespaces/02-pid.md`, 'utf8');

  it("ps in a new PID namespace over the host's /proc fails with 'lookup self' once its pid is one the host lacks", () => {
    // An interactive shell's ps has such a pid; a `sh -c` run has pid 2 or 3, which the host also has. Start
    // processes until one's own pid is missing from the host's procfs, and let that one be ps.
    const result = inNewPidNamespace(
      'i=0; while [ $i -lt 5000 ]; do i=$((i+1)); sh -c \'[ -e /proc/$$ ] && exit 99; exec ps ax\'; rc=$?; [ $rc -ne 99 ] && exit $rc; done; exit 98',
    );
    expect(result.status, result.stderr).not.toBe(98);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('fatal library error, lookup self');
    expect(lesson).toContain('fatal library error, lookup self');
  });

  it('with --mount-proc, ps sees only the namespace: itself and its parent, PID 1', () => {
    const result = inNewPidNamespace('ps -o pid= ax', ['--mount-proc']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim().split(/\s+/).map(Number)).toEqual([1, 2]);
    expect(lesson).toContain('--mount-proc');
  });
});
