/**
 * Watch on real lessons: a code lesson re-verified when its exercise file changes, every check of a state
 * lesson shown, and `isolab watch` as a learner runs it. Exercise files are edited in a copy, never in the
 * checkout.
 */
import { execa } from 'execa';
import { copyFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VerifyDocument } from '../src/report/index.js';
import { LessonChecks, Workbook, type RunReason } from '../src/workbook/index.js';
import { freshHome, isolab, repoRoot } from './helpers/cli.js';

const copies: string[] = [];

/** A copy of the checkout's exercises/, to edit. */
function workspaceCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'isolab-watch-workspace-'));
  copies.push(dir);
  cpSync(join(repoRoot, 'exercises'), join(dir, 'exercises'), { recursive: true });
  return dir;
}

/** Watches a lesson in process; `next()` resolves with the next finished run. */
function watchInProcess(workbook: Workbook, key: string) {
  const lesson = workbook.catalog.require(key);
  const finished: Array<{ document: VerifyDocument; reason: RunReason }> = [];
  const waiting: Array<() => void> = [];
  const checks = new LessonChecks({
    lesson,
    workspace: workbook.workspace,
    verify: (target, options) => workbook.verify(target, options),
    listener: {
      finish: (document, _source, reason) => {
        finished.push({ document, reason });
        waiting.shift()?.();
      },
      crash: (error) => {
        throw error;
      },
    },
  });
  let seen = 0;
  const next = async () => {
    if (finished.length <= seen) await new Promise<void>((resolve) => waiting.push(resolve));
    return finished[seen++]!;
  };
  return { lesson, checks, next };
}

let stopWatching: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopWatching?.();
  stopWatching = undefined;
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const probe = await Workbook.open({ home: freshHome() });
const lockedReason = (key: string) => {
  const gate = probe.gate(probe.catalog.require(key));
  return gate.available ? undefined : gate.reasons.join('; ');
};
const nsTool = lockedReason('1.11');
const vethBridge = lockedReason('1.7');

describe('watch (in process)', () => {
  it.skipIf(nsTool !== undefined)(`re-verifies a code lesson (1.11) when its exercise file changes, experiment checks included${nsTool ? ` (skipped: ${nsTool})` : ''}`, { timeout: 120_000 }, async () => {
    const workspace = workspaceCopy();
    const workbook = await Workbook.open({ home: freshHome(), workspace });
    const { lesson, checks, next } = watchInProcess(workbook, '1.11');
    stopWatching = () => checks.dispose();
    checks.watch(true);
    const first = await next();
    expect(first.reason).toBe('start');
    expect(first.document.status).toBe('fail');
    const ids = (await workbook.checker(lesson)).checks.map((check) => check.id);
    expect(first.document.checks.map((check) => check.id)).toEqual(ids);

    copyFileSync(join(repoRoot, 'checkers/01-namespaces/solutions/ns-tool/namespaces.ts'), join(workspace, 'exercises/ns-tool/namespaces.ts'));
    const second = await next();
    expect(second.reason).toBe('change');
    expect(second.document.checks.filter((check) => check.status !== 'pass')).toEqual([]);
    expect(second.document.status).toBe('pass');
    // The pass is recorded, as verify would; the failing first run was not an attempt.
    expect(workbook.store.lesson(lesson.id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it.skipIf(vethBridge !== undefined)(`shows every check of a state lesson (1.7), its ping too${vethBridge ? ` (skipped: ${vethBridge})` : ''}`, async () => {
    const workbook = await Workbook.open({ home: freshHome() });
    const { lesson, checks, next } = watchInProcess(workbook, '1.7');
    stopWatching = () => checks.dispose();
    checks.watch(true);
    const { document } = await next();
    const checker = await workbook.checker(lesson);
    expect(checker.checks.some((check) => check.tag === 'experiment')).toBe(true);
    expect(document.checks.map((check) => check.id)).toEqual(checker.checks.map((check) => check.id));
    expect(document.checks.map((check) => check.id)).toContain('ping');
  });
});

/** A copy of the built checkout (dist, package.json, exercises), so the spawned isolab edits nothing real. */
function checkoutCopy(): string {
  const dir = workspaceCopy();
  cpSync(join(repoRoot, 'dist'), join(dir, 'dist'), { recursive: true });
  copyFileSync(join(repoRoot, 'package.json'), join(dir, 'package.json'));
  // The checks compile the learner's code with esbuild, found from dist/ as in the checkout.
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function spawnWatch(checkout: string, home: string, args: string[]) {
  // Output read here as it comes (buffer: false); the test closes stdout itself as `| head -1` would.
  const child = execa(process.execPath, [join(checkout, 'dist/isolab.js'), 'watch', ...args], {
    cwd: checkout,
    env: { NO_COLOR: '1', ISOLAB_HOME: home },
    buffer: false,
    reject: false,
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of [...listeners]) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = child.then((result) => result.exitCode ?? null);
  /** Resolves when stdout (from `from` on) has `text`. */
  const waitFor = (text: string, from = 0, timeoutMs = 60_000) =>
    new Promise<number>((resolve, reject) => {
      const check = () => {
        const at = stdout.indexOf(text, from);
        if (at < 0) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(at + text.length);
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no "${text}" within ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  return { child, waitFor, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('isolab watch', () => {
  it('re-runs a code lesson when its file changes, says what is next on a pass, and exits 0 on Ctrl-C', { timeout: 120_000 }, async () => {
    const checkout = checkoutCopy();
    const home = freshHome();
    const watch = spawnWatch(checkout, home, ['4.1']);
    stopWatching = async () => void watch.child.kill('SIGKILL');
    await watch.waitFor('Watching 4.1 ');
    const failed = await watch.waitFor('Not done yet: 0 of 5 checks passed.');

    copyFileSync(join(repoRoot, 'checkers/04-sandboxes/solutions/capability-report/report.ts'), join(checkout, 'exercises/capability-report/report.ts'));
    await watch.waitFor('All 5 checks pass: 4.1 is done — next: 4.2 ', failed);
    expect(watch.stdout().slice(failed)).toContain('· run 2 ·');

    watch.child.kill('SIGINT');
    expect(await watch.exited).toBe(0);
    expect(watch.stderr()).toBe('');
    stopWatching = undefined;

    // Without a lesson: the last one the learner worked on.
    const again = spawnWatch(checkout, home, []);
    stopWatching = async () => void again.child.kill('SIGKILL');
    await again.waitFor('All 5 checks pass: 4.1 is done');
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  });

  it('ends quietly with exit 0 when its output pipe is closed', { timeout: 60_000 }, async () => {
    const watch = spawnWatch(repoRoot, freshHome(), ['4.1']);
    stopWatching = async () => void watch.child.kill('SIGKILL');
    await watch.waitFor('Watching 4.1 ');
    // As `isolab watch 4.1 | head -1`: the reader goes; the next result is written into a closed pipe.
    watch.child.stdout.destroy();
    expect(await watch.exited).toBe(0);
    expect(watch.stderr()).toBe('');
    stopWatching = undefined;
  });

  it('asks for a lesson when none was opened yet', () => {
    const result = isolab(['watch'], { home: freshHome() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('none opened yet');
    expect(result.stderr).toContain('isolab watch 1.11');
  });
});
