import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { freshHome, isolab, repoRoot } from './helpers/cli.js';

const schema = (name: string) => JSON.parse(readFileSync(join(repoRoot, 'src/schemas', `${name}.schema.json`), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true });
// date-time without pulling in ajv-formats: the ISO form the documents use.
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
ajv.addSchema(schema('verify'));
const validators = {
  list: ajv.compile(schema('list')),
  verify: ajv.getSchema('https://isolab.dev/schemas/verify.schema.json')!,
  verifyAll: ajv.compile(schema('verify-all')),
  doctor: ajv.compile(schema('doctor')),
};

function valid(name: keyof typeof validators, document: unknown): void {
  const validate = validators[name];
  const ok = validate(document);
  expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
  expect(ok).toBe(true);
}

describe('JSON documents', () => {
  it('list --json matches its schema', () => {
    valid('list', JSON.parse(isolab(['list', '--json'], { home: freshHome() }).stdout));
  });

  it('verify --json matches its schema, failing and passing', () => {
    const home = freshHome();
    const failing = JSON.parse(isolab(['verify', '0.2', '--json'], { home }).stdout);
    valid('verify', failing);
    expect(failing.status).toBe('fail');
    expect(failing.checks).toHaveLength(4);
    // The list then carries that verify beside the lesson's status.
    const list = JSON.parse(isolab(['list', '--json'], { home }).stdout);
    valid('list', list);
    const entry = list.lessons.find((lesson: { short: string }) => lesson.short === '0.2');
    expect(entry.lastVerify).toMatchObject({ status: 'fail', passed: failing.checks.filter((check: { status: string }) => check.status === 'pass').length, total: 4 });
  });

  it('verify --all --json matches its schema and counts the lessons', () => {
    const home = freshHome();
    const result = isolab(['verify', '--all', '--json'], { home });
    const document = JSON.parse(result.stdout);
    valid('verifyAll', document);
    const list = JSON.parse(isolab(['list', '--json'], { home }).stdout).lessons as Array<{ status: string }>;
    const locked = list.filter((lesson) => lesson.status === 'locked').length;
    // On a fresh workspace nothing passes: every lesson this machine can run fails, the rest are locked.
    expect(document.summary).toEqual({ passed: 0, failed: list.length - locked, error: 0, locked });
    expect(result.code).toBe(1);
  });

  it('doctor --json matches its schema', () => {
    const document = JSON.parse(isolab(['doctor', '--json'], { home: freshHome() }).stdout);
    valid('doctor', document);
    expect(['v1', 'hybrid', 'v2', 'unknown']).toContain(document.cgroup.mode);
  });

  it('a schema rejects a document that breaks it', () => {
    expect(validators.list({ version: 1, lessons: [{ id: 'x' }] })).toBe(false);
    expect(validators.verify({ version: 2 })).toBe(false);
  });

  it('--junit writes XML a JUnit parser reads, with one case per check', () => {
    const home = freshHome();
    const file = join(home, 'results.xml');
    isolab(['answer', '0.1', 'pid1', 'definitely-not-pid-1 & <friends>'], { home });
    isolab(['verify', '--all', '--junit', file], { home });
    const xml = readFileSync(file, 'utf8');
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suites = parsed.testsuites.testsuite;
    const results = JSON.parse(isolab(['verify', '--all', '--json'], { home }).stdout).results as Array<{ lesson: string; checks: unknown[] }>;
    const cases = results.reduce((sum, result) => sum + Math.max(1, result.checks.length), 0);
    expect(parsed.testsuites.tests).toBe(String(cases));
    expect(suites.map((suite: { name: string }) => suite.name)).toEqual(results.map((result) => result.lesson));
    const pid1 = suites[0].testcase.find((testCase: { name: string }) => testCase.name.startsWith('pid1'));
    expect(pid1.failure.message).toBe('"definitely-not-pid-1 & <friends>" is not what this machine says');
    rmSync(file);
  });
});
