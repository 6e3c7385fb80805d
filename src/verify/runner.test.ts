import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive } from '../../test/helpers/process-state.js';
import { runSync } from '../../test/helpers/run.js';
import { lessonIndex } from '../lessons/source-index.js';
import { liveSystem } from '../system/index.js';
import { startLabProcess } from '../lab/index.js';
import { runChecks, runLessonStep } from './runner.js';
import { defineChecker } from './types.js';

const lesson = lessonIndex[0]!;
const options = { lesson, system: liveSystem(), answers: {}, workspace: process.cwd() };

describe('runChecks', () => {
  it('reports a crash as error and still runs the other checks', async () => {
    const checker = defineChecker({
      checks: [
        { id: 'crash', title: 'crashes', tag: 'observe', run: async () => { throw new Error('boom'); } },
        { id: 'ok', title: 'passes', tag: 'observe', run: async () => ({ pass: true, message: 'fine', observed: { a: 1 } }) },
        { id: 'no', title: 'fails', tag: 'observe', run: async () => ({ pass: false, message: 'nope', hint: 'try this' }) },
      ],
    });
    const results = await runChecks(checker, options);
    expect(results.map((result) => result.status)).toEqual(['error', 'pass', 'fail']);
    expect(results[0]!.message).toContain('boom');
    expect(results[1]).toMatchObject({ observed: { a: 1 }, hint: null });
    expect(results[2]).toMatchObject({ hint: 'try this' });
  });

  it('stops a check at its timeout and kills the processes it started', async () => {
    let pid = 0;
    const checker = defineChecker({
      checks: [
        {
          id: 'hang',
          title: 'hangs',
          tag: 'experiment',
          timeoutMs: 300,
          async run(context) {
            const pending = context.exec('sh', ['-c', 'echo $$; exec sleep 30'], { timeoutMs: 60_000 });
            await new Promise((resolve) => setTimeout(resolve, 100));
            pid = Number(runSync('pgrep', ['-n', '-f', 'sleep 30']).stdout);
            await pending;
            return { pass: true, message: 'unreachable' };
          },
        },
      ],
    });
    const started = Date.now();
    const [result] = await runChecks(checker, options);
    expect(result!.status).toBe('error');
    expect(result!.message).toMatch(/did not finish within 0.3 s/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(pid).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive(pid)).toBe(false);
  });

  it('cancels on its signal: kills the running check\'s process groups, lets it clean up, runs no further check', async () => {
    const controller = new AbortController();
    const pidFile = join(mkdtempSync(join(tmpdir(), 'isolab-runner-')), 'pid');
    let grandchild = 0;
    let cleanedUp = false;
    const started: string[] = [];
    const checker = defineChecker({
      checks: [
        {
          id: 'long',
          title: 'runs a long workload',
          tag: 'experiment',
          async run(context) {
            try {
              // The grandchild would keep the pipes open: only killing the group ends the exec.
              const pending = context.exec('sh', ['-c', `sleep 30 & echo $! > ${pidFile}; wait`], { timeoutMs: 60_000 });
              while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') await new Promise((resolve) => setTimeout(resolve, 20));
              grandchild = Number(readFileSync(pidFile, 'utf8'));
              controller.abort();
              await pending;
              return { pass: false, message: 'the workload was killed' };
            } finally {
              cleanedUp = true;
            }
          },
        },
        { id: 'next', title: 'never starts', tag: 'observe', run: async () => ({ pass: true, message: '' }) },
      ],
    });
    const begun = Date.now();
    const run = runChecks(checker, { ...options, signal: controller.signal, onCheckStart: (check) => started.push(check.id) });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - begun).toBeLessThan(5_000);
    expect(cleanedUp).toBe(true);
    expect(started).toEqual(['long']);
    expect(grandchild).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive(grandchild)).toBe(false);
  });

  it('does not start when its signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let ran = false;
    const checker = defineChecker({ checks: [{ id: 'a', title: 'a', tag: 'observe', run: async () => ((ran = true), { pass: true, message: '' }) }] });
    await expect(runChecks(checker, { ...options, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(ran).toBe(false);
  });
});

describe('the checkout mark', () => {
  it('is inherited by what a lesson step leaves running, and gone from isolab once the step ends', async () => {
    let pid: number | undefined;
    await runLessonStep('solution', async () => {
      // As checkers start lab processes: in its own session, outliving the step.
      pid = await startLabProcess('sleep', ['30']);
    }, { ...options, workspace: '/some/checkout' });
    try {
      const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environment).toContain('ISOLAB_CHECKOUT=/some/checkout');
      expect(process.env.ISOLAB_CHECKOUT).toBeUndefined();
    } finally {
      process.kill(pid!, 'SIGKILL');
    }
  });
});
