// The teacher-run collection (vm/classroom/collect-results.yml), checked by ansible itself and run for real
// against this machine; what it fetches is what isolab report reads.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath } from '../src/env/index.js';
import { freshHome, isolab, repoRoot } from './helpers/cli.js';
import { runSync } from './helpers/run.js';

const playbook = join(repoRoot, 'vm/classroom/collect-results.yml');
const ansible = findOnPath('ansible-playbook', process.env);

describe.skipIf(!ansible)(`the classroom collection playbook${ansible ? '' : ' (skipped: needs ansible-playbook, Debian package ansible-core)'}`, () => {
  const dir = freshHome();
  const inventory = join(dir, 'inventory.ini');
  writeFileSync(inventory, '[classroom]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
  const env = { ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'false', ISOLAB_REPORT_KEY: 'teacher-secret' };

  it('passes ansible-playbook --syntax-check', () => {
    const result = runSync('ansible-playbook', ['--syntax-check', '-i', inventory, playbook], { env });
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  it('collects a signed verify --all result from a machine, which isolab report accepts', { timeout: 180_000 }, () => {
    const results = join(dir, 'results');
    const run = runSync(
      'ansible-playbook',
      ['-i', inventory, playbook, '-e', `isolab_checkout=${repoRoot}`, '-e', `isolab_home=${join(dir, 'home')}`, '-e', `results_dir=${results}`, '-e', 'ansible_become=false'],
      { env, timeout: 170_000 },
    );
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const collected = JSON.parse(readFileSync(join(results, 'localhost.json'), 'utf8'));
    expect(collected.results.length).toBeGreaterThan(0);
    expect(collected.results.every((result: { learner?: string; signature?: string }) => result.learner === 'localhost' && typeof result.signature === 'string')).toBe(true);
    const report = isolab(['report', join(results, 'localhost.json'), '--json'], { home: freshHome(), env: { ISOLAB_REPORT_KEY: 'teacher-secret' } });
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout).learners.map((learner: { learner: string }) => learner.learner)).toEqual(['localhost']);
  });
});

describe('the GitHub Classroom example', () => {
  it('grades only code lessons that exist, by the exit code of isolab verify', async () => {
    const { lessonIndex } = await import('../src/lessons/source-index.js');
    const tests = JSON.parse(readFileSync(join(repoRoot, 'vm/classroom/github-classroom/autograding.json'), 'utf8')).tests as Array<{ setup: string; run: string; points: number }>;
    expect(tests.length).toBeGreaterThan(0);
    // The first setup puts isolab on sudo's PATH (launchers, README "Start"); runs never go through npx.
    expect(tests[0]!.setup).toBe('npm ci && sudo "$(command -v node)" scripts/commands.mjs install');
    for (const test of tests) {
      expect(test.run).toMatch(/^sudo isolab verify \S+$/);
      const id = /isolab verify (\S+)$/.exec(test.run)?.[1];
      const lesson = lessonIndex.find((candidate) => candidate.id === id);
      expect(lesson, test.run).toBeDefined();
      expect(lesson!.kind, `${id} is graded on a hosted runner, so it must be a code lesson`).toBe('code');
      expect(test.points).toBeGreaterThan(0);
    }
  });
});
