// isolab report on results made by really running verify for three learners, signed with a teacher's key.
import { existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshHome, isolab } from './helpers/cli.js';

const key = 'teacher-secret';
const dir = freshHome();

/** Runs verify as a learner with the teacher's key, writing what it printed to a file, as a collection would. */
function collect(learner: string, lesson: string, answers: Record<string, string>): string {
  const home = join(dir, learner);
  const env = { ISOLAB_LEARNER: learner, ISOLAB_REPORT_KEY: key };
  for (const [question, value] of Object.entries(answers)) isolab(['answer', lesson, question, value], { home, env });
  const file = join(dir, `${learner}-${lesson}.json`);
  writeFileSync(file, isolab(['verify', lesson, '--json'], { home, env }).stdout);
  return file;
}

const doctor = JSON.parse(isolab(['doctor', '--json'], { home: freshHome() }).stdout);
const truth = {
  'kernel-release': readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
  'cgroup-mode': doctor.cgroup.mode,
  pid1: readFileSync('/proc/1/comm', 'utf8').trim(),
  'mnt-ns': /\d+/.exec(readlinkSync('/proc/self/ns/mnt'))![0],
  'hypervisor-flag': /\bhypervisor\b/.test(readFileSync('/proc/cpuinfo', 'utf8')) ? 'yes' : 'no',
  dockerenv: existsSync('/.dockerenv') ? 'yes' : 'no',
  environment: doctor.environment.kind,
};
const files = [
  collect('alice', '0.1', truth),
  collect('bob', '0.1', { ...truth, pid1: 'not-pid-1' }),
  collect('carol', '0.1', {}),
  collect('alice', '0.2', {}),
];

describe('isolab report', () => {
  it('merges learners into pass rates, progress and the most common failing check', () => {
    const result = isolab(['report', ...files, '--json'], { home: freshHome(), env: { ISOLAB_REPORT_KEY: key } });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.tampered).toEqual([]);
    expect(report.unsigned).toEqual([]);
    expect(report.learners.map((learner: { learner: string }) => learner.learner)).toEqual(['alice', 'bob', 'carol']);
    expect(report.learners[0]).toMatchObject({ passed: 1, total: 2 });
    const machine = report.lessons.find((lesson: { lesson: string }) => lesson.lesson === 'orientation/your-machine');
    expect(machine).toMatchObject({ attempted: 3, passed: 1 });
    // Bob failed on pid1 and Carol on the first question: each failing check counted once.
    expect(machine.commonFailure.count).toBe(1);
  });

  it('flags a file edited after the verify run as tampered, still reports the honest ones, and exits 1', () => {
    const forged = join(dir, 'bob-forged.json');
    writeFileSync(forged, readFileSync(files[1]!, 'utf8').replace('"status": "fail"', '"status": "pass"'));
    const result = isolab(['report', files[0]!, forged, files[2]!], { home: freshHome(), env: { ISOLAB_REPORT_KEY: key } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`tampered: ${forged}`);
    expect(result.stdout).toMatch(/alice\s+1\/1/);
    expect(result.stdout).not.toMatch(/^\s+bob/m);
  });

  it('with another key every signed file is tampered; without a key nothing is checked, and it says so', () => {
    expect(isolab(['report', files[0]!], { home: freshHome(), env: { ISOLAB_REPORT_KEY: 'wrong' } }).code).toBe(1);
    const unkeyed = isolab(['report', files[0]!], { home: freshHome(), env: { ISOLAB_REPORT_KEY: '' } });
    expect(unkeyed.code).toBe(0);
    expect(unkeyed.stderr).toContain('signatures were not checked');
  });

  it('writes CSV and a static HTML page', () => {
    const csv = join(dir, 'class.csv');
    const html = join(dir, 'class.html');
    expect(isolab(['report', ...files, '--csv', csv, '--html', html], { home: freshHome(), env: { ISOLAB_REPORT_KEY: key } }).code).toBe(0);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('learner,lesson,status');
    expect(rows).toContain('alice,orientation/your-machine,pass');
    expect(rows).toContain('bob,orientation/your-machine,fail');
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<td>orientation/your-machine</td>');
    expect(page).toContain('<td>carol</td>');
  });

  it('refuses files that are not results, with exit 2', () => {
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{"hello": 1}');
    const result = isolab(['report', junk], { home: freshHome() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not an isolab verify result');
  });
});

describe('isolab report on hostile files', () => {
  const hostile = (name: string, change: (result: Record<string, unknown>) => unknown) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(change(JSON.parse(readFileSync(files[1]!, 'utf8')))));
    return file;
  };
  const numericLearner = hostile('numeric-learner.json', (result) => ({ ...result, learner: 5 }));
  const nullCheck = hostile('null-check.json', (result) => ({ ...result, checks: [null] }));
  const numericTitle = hostile('numeric-title.json', (result) => ({ ...result, title: 7 }));
  const escapes = hostile('escapes.json', (result) => ({ ...result, learner: 'mallory\u001b]0;owned\u0007\u001b[2J', signature: undefined }));
  const formula = hostile('formula.json', (result) => ({ ...result, learner: '=HYPERLINK("http://x")', signature: undefined }));
  const noStack = (output: string) => expect(output).not.toMatch(/TypeError|internal error|^\s+at /m);

  it('names each file that breaks the schema and why, merges the rest, and exits 0', () => {
    const html = join(dir, 'hostile.html');
    const result = isolab(['report', numericTitle, files[0]!, numericLearner, nullCheck, '--html', html], { home: freshHome(), env: { ISOLAB_REPORT_KEY: '' } });
    noStack(result.stdout + result.stderr);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`unreadable: ${numericLearner}: not an isolab verify result: at learner, expected a string, found a number`);
    expect(result.stdout).toContain(`unreadable: ${nullCheck}: not an isolab verify result: at checks[0], expected an object, found null`);
    expect(result.stdout).toContain(`unreadable: ${numericTitle}: not an isolab verify result: at title, expected a string, found a number`);
    expect(result.stdout).toMatch(/alice\s+1\/1/);
    expect(readFileSync(html, 'utf8')).toContain('<td>alice</td>');
  });

  it('with --json says on stderr that files were left out', () => {
    const result = isolab(['report', files[0]!, numericLearner, '--json'], { home: freshHome(), env: { ISOLAB_REPORT_KEY: '' } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).unreadable).toEqual([{ file: numericLearner, problem: expect.stringContaining('at learner') }]);
    expect(result.stderr).toContain('1 of 2 files left out as unreadable');
  });

  it('with the key, calls a signed file edited to a wrong type tampered, and exits 1', () => {
    const result = isolab(['report', files[0]!, numericLearner, nullCheck], { home: freshHome(), env: { ISOLAB_REPORT_KEY: key } });
    noStack(result.stdout + result.stderr);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`tampered: ${numericLearner}`);
    expect(result.stdout).toContain(`tampered: ${nullCheck}`);
  });

  it('exits 2 naming every file when none is readable', () => {
    const result = isolab(['report', numericLearner, nullCheck, join(dir, 'missing.json')], { home: freshHome() });
    noStack(result.stdout + result.stderr);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${numericLearner}: not an isolab verify result: at learner`);
    expect(result.stderr).toContain(`${nullCheck}: not an isolab verify result: at checks[0]`);
    expect(result.stderr).toContain('missing.json: no such file');
  });

  it('shows a learner name with escape sequences as text, and writes no CSV formula', () => {
    const csv = join(dir, 'hostile.csv');
    const result = isolab(['report', escapes, formula, '--csv', csv], { home: freshHome(), env: { ISOLAB_REPORT_KEY: '' } });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(result.stdout).toContain('mallory\\x1b]0;owned\\x07\\x1b[2J');
    expect(readFileSync(csv, 'utf8')).toContain(`"'=HYPERLINK(""http://x"")",orientation/your-machine,fail`);
  });
});
