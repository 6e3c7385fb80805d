import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshHome, isolabAsync, isRoot } from '../../test/helpers/cli.js';
import { isIsolabError } from '../errors/index.js';
import { ProgressStore } from './store.js';

describe('ProgressStore', () => {
  it('starts empty and keeps what update writes', async () => {
    const store = new ProgressStore(freshHome());
    expect(store.read()).toEqual({ version: 1, lessons: {} });
    await store.updateLesson('orientation/your-machine', (lesson) => (lesson.answers.pid1 = 'init'));
    const again = new ProgressStore(store.home).read();
    expect(again.lessons['orientation/your-machine']).toMatchObject({ status: 'in-progress', answers: { pid1: 'init' }, hintsShown: 0 });
    expect(again.lastLesson).toBe('orientation/your-machine');
    expect(readdirSync(store.home).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'))).toEqual([]);
  });

  it('moves a corrupt file aside with a warning and starts afresh', async () => {
    const home = freshHome();
    const warnings: string[] = [];
    const store = new ProgressStore(home, { warn: (message) => warnings.push(message) });
    await store.update(() => {});
    writeFileSync(store.file, '{"version": 1, "lessons": {"x": {"status": "bogus"}}');
    expect(store.read()).toEqual({ version: 1, lessons: {} });
    expect(warnings).toHaveLength(1);
    const aside = readdirSync(home).find((name) => name.startsWith('progress.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(readFileSync(join(home, aside!), 'utf8')).toContain('bogus');
  });

  it('loses nothing when ten verify runs write progress at once', async () => {
    const home = freshHome();
    const results = await Promise.all(Array.from({ length: 10 }, () => isolabAsync(['verify', '0.1', '--json'], { home })));
    expect(results.map((result) => result.code)).toEqual(Array(10).fill(1));
    expect(new ProgressStore(home).read().lessons['orientation/your-machine']!.attempts).toBe(10);
  });

  it('keeps every answer when eight are recorded at once', async () => {
    const home = freshHome();
    const pairs: Array<[string, string]> = [
      ...['kernel-release', 'cgroup-mode', 'pid1', 'mnt-ns'].map((key): [string, string] => ['0.1', key]),
      ...['uid', 'capeff', 'cap-count', 'sys-admin'].map((key): [string, string] => ['0.2', key]),
    ];
    const results = await Promise.all(pairs.map(([lesson, key]) => isolabAsync(['answer', lesson, key, `v-${key}`], { home })));
    expect(results.map((result) => result.code)).toEqual(Array(8).fill(0));
    const lessons = new ProgressStore(home).read().lessons;
    const recorded = Object.values(lessons).flatMap((lesson) => Object.entries(lesson.answers));
    expect(recorded.sort()).toEqual(pairs.map(([, key]) => [key, `v-${key}`]).sort());
  });

  it('takes over a lock left by a process that died', async () => {
    const store = new ProgressStore(freshHome());
    await store.update(() => {});
    const lock = join(store.home, 'progress.lock');
    writeFileSync(lock, '999999999');
    const old = new Date(Date.now() - 5_000);
    utimesSync(lock, old, old);
    const started = Date.now();
    await store.updateLesson('orientation/your-machine', (lesson) => (lesson.attempts = 7));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(store.lesson('orientation/your-machine')!.attempts).toBe(7);
  });

  it.skipIf(!isRoot)('gives the files to the learner under sudo (needs root)', async () => {
    const home = freshHome();
    const store = new ProgressStore(join(home, 'state'), { env: { SUDO_UID: '65534', SUDO_GID: '65534' } });
    await store.update(() => {});
    expect(statSync(store.file).uid).toBe(65534);
    expect(statSync(store.home).uid).toBe(65534);
    expect(existsSync(join(store.home, '.gitignore'))).toBe(true);
  });

  it('sets aside only the entries that do not follow the format, and keeps the rest', async () => {
    const warnings: string[] = [];
    const store = new ProgressStore(freshHome(), { warn: (message) => warnings.push(message) });
    const good = { status: 'done', hintsShown: 1, attempts: 2, answers: { pid1: 'init' } };
    writeFileSync(store.file, JSON.stringify({ version: 1, lastLesson: 'a/good', lessons: { 'a/good': good, 'b/bad': { status: 'bogus' }, 'c/worse': null } }));
    expect(Object.keys(store.read().lessons)).toEqual(['a/good']);
    expect(store.read().lessons['a/good']).toMatchObject(good);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/b\/bad, c\/worse .* left out/);

    await store.updateLesson('d/new', (lesson) => (lesson.attempts = 1));
    const aside = readdirSync(store.home).filter((name) => name.startsWith('progress.json.set-aside-'));
    expect(aside).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(store.home, aside[0]!), 'utf8'))).toEqual({ lessons: { 'b/bad': { status: 'bogus' }, 'c/worse': null } });
    expect(Object.keys(JSON.parse(readFileSync(store.file, 'utf8')).lessons).sort()).toEqual(['a/good', 'd/new']);
    expect(warnings[1]).toMatch(/set it aside in .*set-aside-.* kept the rest/);
  });

  it('leaves a file from a newer isolab untouched and says so', async () => {
    const store = new ProgressStore(freshHome());
    const newer = JSON.stringify({ version: 2, lessons: { 'a/x': { status: 'mastered' } } });
    writeFileSync(store.file, newer);
    const refused = (() => {
      try {
        store.read();
      } catch (error) {
        return error;
      }
    })();
    expect(isIsolabError(refused) && refused.exitCode).toBe(3);
    expect((refused as Error).message).toMatch(/written by a newer isolab \(format 2/);
    await expect(store.update(() => {})).rejects.toThrow(/newer isolab/);
    expect(readFileSync(store.file, 'utf8')).toBe(newer);
    expect(readdirSync(store.home).sort()).toEqual(['progress.json']);
  });

  it('a progress.json that is a directory is an error with the remedy, not a crash', async () => {
    const store = new ProgressStore(freshHome());
    mkdirSync(store.file);
    expect(() => store.read()).toThrow(/progress\.json is a directory, where isolab keeps a file/);
    await expect(store.update(() => {})).rejects.toSatisfy(isIsolabError);
  });

  it('a state directory that is a link to nowhere is an error with the remedy', async () => {
    const home = join(freshHome(), 'state');
    symlinkSync('/nonexistent/isolab-state', home);
    const store = new ProgressStore(home);
    expect(() => store.read()).toThrow(/does not exist \(a link to a directory that is gone\?\)/);
    await expect(store.update(() => {})).rejects.toSatisfy(isIsolabError);
  });
});
