import chalk from 'chalk';
import type { CheckResult } from '../verify/index.js';
import type { VerifyDocument, VerifyAllDocument } from './documents.js';

const marks = {
  pass: () => chalk.green('✓'),
  fail: () => chalk.red('✗'),
  error: () => chalk.yellow('!'),
} as const;

/** The human verify report: a ✓/✗ line per check, what it saw, and what to try next. */
export function formatVerify(result: VerifyDocument): string {
  const lines = [chalk.bold(`${result.short} ${result.title}`) + chalk.dim(`  (${result.lesson})`)];
  if (result.status === 'locked') {
    lines.push(`  ${chalk.yellow('locked')} on this machine:`);
    for (const reason of result.lockedReasons ?? []) lines.push(`  - ${reason}`);
    return lines.join('\n');
  }
  if (result.source === 'recorded') lines.push(chalk.dim('  (a recorded pass; `--live` checks the kernel again)'));
  for (const check of result.checks) lines.push(...formatCheck(check));
  const passed = result.checks.filter((check) => check.status === 'pass').length;
  const total = result.checks.length;
  lines.push('');
  lines.push(result.status === 'pass' ? chalk.green(`Passed: ${passed} of ${total} checks.`) + ' The lesson is done.' : notDone(result));
  return lines.join('\n');
}

function notDone(result: VerifyDocument): string {
  const passed = result.checks.filter((check) => check.status === 'pass').length;
  const word = result.status === 'error' ? 'Some checks could not run' : 'Not done yet';
  return `${word}: ${passed} of ${result.checks.length} checks passed. \`isolab hint ${result.short}\` gives a hint.`;
}

/** One run of `isolab watch`, compact: the lesson, the run, a line per check, and the verdict or the next lesson. */
export function formatWatchRun(result: VerifyDocument, run: { number: number; at: Date; next: { short: string; title: string } | undefined }): string {
  const time = run.at.toTimeString().slice(0, 8);
  const lines = [chalk.bold(`${result.short} ${result.title}`) + chalk.dim(` · run ${run.number} · ${time}`)];
  for (const check of result.checks) lines.push(...formatCheck(check));
  if (result.status === 'pass') {
    const next = run.next ? `next: ${run.next.short} ${run.next.title} (isolab watch ${run.next.short})` : 'that was the last lesson';
    lines.push(`${chalk.green(`All ${result.checks.length} checks pass`)}: ${result.short} is done — ${next}.`);
  } else if (result.status === 'locked') {
    lines.push(`${chalk.yellow('locked')} on this machine: ${(result.lockedReasons ?? []).join('; ')}`);
  } else {
    lines.push(notDone(result));
  }
  return lines.join('\n');
}

export function formatCheck(check: CheckResult): string[] {
  const lines = [`  ${marks[check.status]()} ${check.title}: ${check.message}`];
  if (check.hint) lines.push(chalk.dim(`      try: ${check.hint}`));
  return lines;
}

export function formatVerifyAll(document: VerifyAllDocument): string {
  const lines = document.results.map((result) => {
    const mark =
      result.status === 'pass' ? marks.pass() : result.status === 'locked' ? chalk.dim('-') : result.status === 'error' ? marks.error() : marks.fail();
    const detail = result.status === 'locked' ? chalk.dim(` locked: ${(result.lockedReasons ?? []).join('; ')}`) : '';
    return `${mark} ${result.short.padEnd(5)} ${result.title}${detail}`;
  });
  const { passed, failed, error, locked } = document.summary;
  lines.push('', `${passed} passed, ${failed} failed, ${error} errors, ${locked} locked`);
  return lines.join('\n');
}
