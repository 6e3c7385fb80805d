// `isolab report` reads files learners could have written: each one that breaks the schema is named and left
// out, and no text from them reaches a terminal, a page or a spreadsheet as anything but text.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { formatReportTable, mergeReports, reportCsv, reportHtml, reportJson } from './merge.js';
import { readResultFile } from './result-file.js';
import { parseResults } from './result-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'isolab-report-'));

function result(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    isolab: '0.1.0',
    lesson: 'orientation/root-and-capabilities',
    short: '0.2',
    title: 'Root, sudo and capabilities',
    startedAt: '2026-12-03T07:49:54.411Z',
    env: { kind: 'vm', cgroupMode: 'hybrid' },
    status: 'fail',
    source: 'live',
    checks: [{ id: 'uid', title: 'who opened the root shell', status: 'fail', message: 'no answer recorded yet', observed: { answer: null }, hint: 'Run id -u.', durationMs: 0 }],
    durationMs: 3,
    learner: 'alice',
    ...overrides,
  };
}

function file(name: string, document: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(document));
  return path;
}

const good = file('alice.json', result());
const all = (results: unknown[]) => ({ version: 1, results, summary: { passed: 0, failed: results.length, error: 0, locked: 0 } });

// C0 and C1 controls and DEL: what a terminal would act on.
const controls = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('a result file that breaks the schema', () => {
  it.each([
    ['a numeric learner', result({ learner: 5 }), 'at learner, expected a string, found a number'],
    ['a null check', result({ learner: 'bob', checks: [null] }), 'at checks[0], expected an object, found null'],
    ['a numeric title', result({ learner: 'bob', title: 7 }), 'at title, expected a string, found a number'],
    ['an unknown status', result({ learner: 'bob', status: 'passed' }), 'at status, expected one of "pass", "fail", "error", "locked"'],
    ['a missing lesson', { ...result(), lesson: undefined }, 'at lesson, missing'],
    ['an escape in the lesson id', result({ lesson: 'a/b\u001b[2J' }), 'at lesson, not in the form'],
    ['a result of a verify --all that breaks it', all([result({ learner: 'bob' }), result({ learner: 'bob', checks: [{ id: 'x' }] })]), 'at results[1].checks[0].title, missing'],
    ['a field no isolab writes', result({ learner: 'bob', grade: 'A' }), 'at the top, unexpected field "grade"'],
    ['many long unknown fields', result({ learner: 'bob', ['x'.repeat(10_000)]: 1, b: 2, c: 3, d: 4, e: 5 }), `at the top, unexpected fields "${'x'.repeat(40)}…", "b", "c" and 2 more`],
    ['a document from a newer isolab', result({ learner: 'bob', version: 2 }), 'written by a newer isolab (document version 2; this one reads version 1): run isolab report from that version'],
    ['a verify --all from a newer isolab', { ...all([result()]), version: 3 }, 'written by a newer isolab (document version 3; this one reads version 1)'],
    ['no object at all', [result()], 'at the top, expected an object, found an array'],
  ])('%s: is named as unreadable with the first schema issue, and the rest is merged', (_, document, why) => {
    const bad = file('bad.json', document);
    const report = mergeReports([readResultFile(good), readResultFile(bad)]);
    expect(report.unreadable).toEqual([{ file: bad, problem: expect.stringContaining(why) }]);
    expect(report.unreadable[0]!.problem).toMatch(/^(not an isolab verify result|written by a newer isolab)/);
    expect(report.learners.map((learner) => learner.learner)).toEqual(['alice']);
    // Every form of the report is made without a throw.
    expect(formatReportTable(report)).toContain(`unreadable: ${bad}`);
    reportHtml(report);
    reportCsv(report);
  });

  it('is unreadable when nested too deeply to check its signature, and says so', () => {
    const deep = join(dir, 'deep.json');
    const observed = `${'{"a":'.repeat(100_000)}0${'}'.repeat(100_000)}`;
    writeFileSync(deep, JSON.stringify(result({ signature: '00' })).replace('{"answer":null}', observed));
    expect(readResultFile(deep, 'key')).toMatchObject({ status: 'unreadable', problem: 'not an isolab verify result: nested deeper than 64 levels' });
  });

  it('is unreadable when it is no regular file or too large to be one, and says so', () => {
    expect(readResultFile(dir)).toMatchObject({ status: 'unreadable', problem: 'not a regular file' });
    expect(readResultFile(join(dir, 'missing.json'))).toMatchObject({ status: 'unreadable', problem: 'no such file' });
    // A FIFO is named, not waited on.
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    expect(readResultFile(fifo)).toMatchObject({ status: 'unreadable', problem: 'not a regular file' });
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 65 * 1024 * 1024);
    expect(readResultFile(huge)).toMatchObject({ status: 'unreadable', problem: 'larger than 64 MiB, far more than any verify result' });
  });
});

describe('text from result files', () => {
  const hostile = file(
    'evil\u001b[31m.json',
    result({
      learner: 'mallory\u001b]0;owned\u0007\u001b[2J\u202egnp.exe',
      title: 'Root\u009b2J <script>alert(1)</script>',
      checks: [{ id: 'uid', title: 'who\u001b[8m', status: 'fail', message: 'm', observed: null, hint: 'try\r\u001b[1A<b>', durationMs: 0 }],
    }),
  );
  const broken = file('broken\u0007.json', result({ learner: 3 }));
  const merged = () => mergeReports([readResultFile(hostile), readResultFile(broken)]);

  it('reaches the terminal with its control characters shown as escapes, never sent', () => {
    const table = formatReportTable(merged());
    expect(table.replace(/\n/g, '')).not.toMatch(controls);
    expect(table).toContain('mallory\\x1b]0;owned\\x07\\x1b[2J');
    expect(table).toContain('who\\x1b[8m');
    // A right-to-left override would show "exe.png" for "gnp.exe".
    expect(table).toContain('\\u202egnp.exe');
    expect(table).toContain('unreadable: ' + join(dir, 'broken\\x07.json'));
  });

  it('reaches the HTML page escaped, controls shown', () => {
    const page = reportHtml(merged());
    expect(page.replace(/\n/g, '')).not.toMatch(controls);
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<b>');
    expect(page).toContain('&lt;script&gt;');
    expect(page).toContain('mallory\\x1b]0;owned');
  });

  it('reaches --json with every control character escaped, C1 and line separators too', () => {
    const json = reportJson(merged());
    expect(json.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(JSON.parse(json).lessons[0].title).toBe('Root\u009b2J <script>alert(1)</script>');
  });
});

describe('CSV cells', () => {
  it('that a spreadsheet would read as a formula start with a quote', () => {
    const names = ['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\tx', '\rx', 'plain-name'];
    const files = names.map((learner, index) => readResultFile(file(`csv-${index}.json`, result({ learner }))));
    const csv = reportCsv(mergeReports(files));
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")",`);
    expect(csv).toContain(`'+1+2,`);
    expect(csv).toContain(`'-2+3,`);
    expect(csv).toContain(`'@SUM(A1),`);
    expect(csv).toContain(`\n'\tx,`);
    expect(csv).toContain(`"'\rx",`);
    expect(csv).toContain('\nplain-name,orientation/root-and-capabilities,fail\n');
    // No cell starts with a formula character once the quotes of CSV are read.
    for (const row of csv.trim().split('\n').slice(1)) expect(row).toMatch(/^("?')|^[a-z]/);
  });
});

describe('the schema the report reads with', () => {
  // src/schemas holds the published JSON Schemas; the report checks with zod/mini. Both must give the same answer
  // for a document and for every one-field change of it.
  const schema = (name: string) => JSON.parse(readFileSync(new URL(`../schemas/${name}.schema.json`, import.meta.url), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  ajv.addSchema(schema('verify'));
  const verifyAll = ajv.compile(schema('verify-all'));
  const verify = ajv.getSchema('https://isolab.dev/schemas/verify.schema.json')!;

  const values: unknown[] = [undefined, 5, -1, 1.5, '', 'x', '0.2', 'pass', 'v2', 'a/b', '2026-12-03T07:49:54Z', null, true, [], [null], {}];
  /** The document with the value at path changed (undefined: removed), for every path and value. */
  function* variants(document: unknown, path: Array<string | number> = []): Generator<[string, unknown]> {
    if (typeof document !== 'object' || document === null) return;
    for (const key of Object.keys(document)) {
      const child = (document as Record<string, unknown>)[key];
      for (const value of values) yield [`${[...path, key].join('.')} = ${JSON.stringify(value)}`, withValue(document, key, value)];
      for (const [name, changed] of variants(child, [...path, key])) yield [name, withValue(document, key, changed)];
    }
    if (!Array.isArray(document)) yield [`${path.join('.')}.extra = 1`, { ...document, extra: 1 }];
  }
  const withValue = (document: object, key: string, value: unknown) => {
    const copy: Record<string, unknown> = Array.isArray(document) ? [...document] as never : { ...document };
    if (value === undefined) delete copy[key];
    else copy[key] = value;
    return copy;
  };

  it.each([
    ['verify', result(), verify],
    ['verify --all', all([result(), result({ status: 'pass', lockedReasons: ['x'], signature: 'ab' })]), verifyAll],
  ])('agrees with src/schemas on a %s document and every one-field change of it', (_, document, validate) => {
    const disagreements: string[] = [];
    for (const [name, changed] of [['as written', document] as [string, unknown], ...variants(document)]) {
      const published = validate(changed) === true;
      if (published !== parseResults(changed).ok) disagreements.push(`${name}: JSON Schema ${published ? 'accepts' : 'rejects'}`);
    }
    expect(disagreements).toEqual([]);
  });
});

describe('a file with very many learners', () => {
  it('merges in linear time (60,000 learners of one lesson in well under the test timeout)', () => {
    const results = Array.from({ length: 60_000 }, (_, index) => result({ learner: `learner-${index}` })) as never[];
    const started = performance.now();
    const report = mergeReports([{ file: 'many.json', results, status: 'valid' }]);
    expect(report.lessons[0]!.attempted).toBe(60_000);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
