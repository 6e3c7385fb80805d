/**
 * isolab as root in a checkout the learner owns (sudo isolab …, a teacher's collection): the learner plants
 * symbolic links at every name isolab writes, as their own unprivileged user, and isolab runs as root with
 * SUDO_UID set. Nothing outside the checkout may change, be read into the learner's files, or change owner.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isRoot, repoRoot } from '../helpers/cli.js';
import { runSync } from '../helpers/run.js';

/** The learner: nobody, who owns the clone and plants the links. */
const learner = { uid: 65534, gid: 65534 };
const exercise = 'exercises/oci-config/edit.ts';

let work: string;
let clone: string;
let outside: string;

/** A file of root's, outside the checkout: what a planted link points at. */
const secretFile = () => join(outside, 'secret');
const secretText = 'root only\n';

function asLearner(command: string, ...args: string[]): void {
  const result = runSync('setpriv', [`--reuid=${learner.uid}`, `--regid=${learner.gid}`, '--clear-groups', '--', command, ...args]);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} as the learner: ${result.stderr}`);
}

/** The learner plants `link` → `target` (paths inside the clone). */
function plant(link: string, target: string): void {
  asLearner('mkdir', '-p', join(clone, link, '..'));
  asLearner('ln', '-sfn', target, join(clone, link));
}

/** git in the learner's clone, as the test's root (git refuses another user's repository unless told). */
const git = (...args: string[]) => runSync('git', ['-c', 'safe.directory=*', '-C', clone, ...args]).stdout;

/** isolab of the clone, as root under sudo for the learner. */
function sudoIsolab(...args: string[]) {
  return runSync(process.execPath, [join(clone, 'dist/isolab.js'), ...args], {
    env: { SUDO_UID: String(learner.uid), SUDO_GID: String(learner.gid), SUDO_USER: 'nobody', NO_COLOR: '1', ISOLAB_HOME: '' },
    cwd: clone,
    timeout: 60_000,
  });
}

/** The outside files are as they were: content, owner, nothing new. */
function expectOutsideUntouched(): void {
  expect(readFileSync(secretFile(), 'utf8')).toBe(secretText);
  expect(statSync(secretFile()).uid).toBe(0);
  expect(readdirSync(outside).sort()).toEqual(['dir', 'secret']);
  expect(readdirSync(join(outside, 'dir'))).toEqual([]);
  expect(statSync(join(outside, 'dir')).uid).toBe(0);
}

/** No file in the learner's state holds the secret (a backup read through a link would). */
function expectSecretNotCopied(): void {
  const state = join(clone, '.isolab');
  if (!existsSync(state)) return;
  const files = readdirSync(state, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  for (const entry of files) expect(readFileSync(join(entry.parentPath, entry.name), 'utf8')).not.toContain(secretText.trim());
}

describe.skipIf(!isRoot)('root in the learner-owned checkout: planted links are never followed (needs root)', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'isolab-root-links-'));
    clone = join(work, 'isolab');
    runSync('git', ['clone', '--quiet', '--no-hardlinks', repoRoot, clone]);
    runSync('git', ['-C', clone, 'checkout', '--quiet', '--detach', runSync('git', ['-C', repoRoot, 'rev-parse', 'HEAD']).stdout.trim()]);
    cpSync(join(repoRoot, 'dist'), join(clone, 'dist'), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'));
    runSync('chown', ['-R', `${learner.uid}:${learner.gid}`, work]);
  }, 60_000);

  beforeEach(() => {
    outside = mkdtempSync(join(tmpdir(), 'isolab-outside-'));
    writeFileSync(secretFile(), secretText, { mode: 0o600 });
    mkdirSync(join(outside, 'dir'));
    rmSync(join(clone, '.isolab'), { recursive: true, force: true });
    git('checkout', '--quiet', '--', 'exercises');
    runSync('chown', ['-R', `${learner.uid}:${learner.gid}`, join(clone, 'exercises')]);
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('progress: links at every temporary name the next pids could use are not followed', () => {
    const next = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
    asLearner('mkdir', '-p', join(clone, '.isolab'));
    // One process plants them all: a process per link would use up the very pids being guarded.
    const planter = 'const [from, to, target, dir] = process.argv.slice(1); for (let pid = +from; pid <= +to; pid++) require("fs").symlinkSync(target, `${dir}/progress.json.${pid}.tmp`);';
    asLearner(process.execPath, '-e', planter, String(next + 1), String(next + 400), secretFile(), join(clone, '.isolab'));
    const answered = sudoIsolab('answer', '0.1', 'pid1', 'init');
    expect(answered.stderr).toBe('');
    expect(answered.status).toBe(0);
    expectOutsideUntouched();
    const progress = join(clone, '.isolab/progress.json');
    expect(lstatSync(progress).isFile()).toBe(true);
    expect(statSync(progress).uid).toBe(learner.uid);
  });

  it('progress: a progress.json that is a link is refused with the remedy, and its target untouched', () => {
    plant('.isolab/progress.json', secretFile());
    const answered = sudoIsolab('answer', '0.1', 'pid1', 'init');
    expect(answered.status).toBe(3);
    expect(answered.stderr).toMatch(/progress\.json is a symbolic link/);
    expect(answered.stderr).toMatch(/Remove the link/);
    expect(answered.stderr).not.toMatch(/ at .*\.js:\d+/);
    expectOutsideUntouched();
  });

  it('progress: a state directory that is a link is refused as root', () => {
    plant('.isolab', join(outside, 'dir'));
    const answered = sudoIsolab('answer', '0.1', 'pid1', 'init');
    expect(answered.status).toBe(3);
    expect(answered.stderr).toMatch(/\.isolab is a symbolic link/);
    expectOutsideUntouched();
  });

  it('reset: an exercise file that is a link is refused before anything changes', () => {
    rmSync(join(clone, exercise));
    plant(exercise, secretFile());
    const reset = sudoIsolab('reset', '3.2');
    expect(reset.status).toBe(2);
    expect(reset.stderr).toMatch(/edit\.ts is a symbolic link: reset writes no file through a link/);
    expectOutsideUntouched();
    expectSecretNotCopied();
    expect(lstatSync(join(clone, exercise)).isSymbolicLink()).toBe(true);
  });

  it('reset: a directory link on the way to an exercise file is refused', () => {
    rmSync(join(clone, 'exercises/oci-config'), { recursive: true });
    plant('exercises/oci-config', join(outside, 'dir'));
    const reset = sudoIsolab('reset', '3.2');
    expect(reset.status).toBe(2);
    expect(reset.stderr).toMatch(/oci-config is a symbolic link/);
    expectOutsideUntouched();
  });

  it('show: a lesson file that is a link is refused, and what it points at is not shown', () => {
    const lesson = 'lessons/00-orientation/01-your-machine.md';
    rmSync(join(clone, lesson));
    plant(lesson, secretFile());
    const shown = sudoIsolab('show', '0.1');
    expect(shown.status).toBe(2);
    expect(shown.stderr).toMatch(/01-your-machine\.md is a symbolic link: isolab reads lesson files only from the course's own tree/);
    expect(shown.stdout + shown.stderr).not.toContain(secretText.trim());
    git('checkout', '--quiet', '--', lesson);
  });

  for (const link of ['.isolab/backups', '.isolab/backups/oci--config']) {
    it(`reset: a linked ${link.replace('.isolab/', '')} receives nothing`, () => {
      asLearner('mkdir', '-p', join(clone, '.isolab'));
      plant(link, join(outside, 'dir'));
      const reset = sudoIsolab('reset', '3.2');
      expect(reset.status).toBe(2);
      expect(reset.stderr).toMatch(/is a symbolic link/);
      expectOutsideUntouched();
    });
  }

  it('reset: restores the learner-owned files as the learner’s, with their versions backed up', () => {
    writeFileSync(join(clone, exercise), '// my own work\n');
    const reset = sudoIsolab('reset', '3.2');
    expect(reset.stderr).toBe('');
    expect(reset.status).toBe(0);
    const backup = /Your versions are in (.*)/.exec(reset.stdout)![1]!.trim();
    expect(readFileSync(join(backup, exercise), 'utf8')).toBe('// my own work\n');
    for (const path of [join(backup, exercise), join(clone, exercise), join(clone, '.isolab/backups')]) expect(statSync(path).uid).toBe(learner.uid);
    expect(git('status', '--porcelain', '--', 'exercises')).toBe('');
  });
});
