import type { VerifyDocument } from './documents.js';

/**
 * JUnit XML as CI systems read it: one <testsuite> per lesson, one <testcase> per check; a locked lesson is a
 * single skipped case carrying its reasons.
 */
export function toJUnit(results: readonly VerifyDocument[]): string {
  const count = (status: string) => results.flatMap((result) => result.checks).filter((c) => c.status === status).length;
  const tests = results.reduce((sum, result) => sum + Math.max(1, result.checks.length), 0);
  const skipped = results.filter((result) => result.status === 'locked').length;
  const totalSeconds = seconds(results.reduce((sum, result) => sum + result.durationMs, 0));
  const suites = results.map(suite).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="isolab" tests="${tests}" failures="${count('fail')}" errors="${count('error')}" ` +
    `skipped="${skipped}" time="${totalSeconds}">\n${suites}</testsuites>\n`
  );
}

function suite(result: VerifyDocument): string {
  const className = result.lesson.replace('/', '.');
  const failures = result.checks.filter((check) => check.status === 'fail').length;
  const errors = result.checks.filter((check) => check.status === 'error').length;
  const header =
    `  <testsuite name="${attr(result.lesson)}" tests="${Math.max(1, result.checks.length)}" failures="${failures}" ` +
    `errors="${errors}" skipped="${result.status === 'locked' ? 1 : 0}" time="${seconds(result.durationMs)}" ` +
    `timestamp="${attr(result.startedAt)}">\n`;
  if (result.status === 'locked') {
    const reasons = (result.lockedReasons ?? []).join('; ');
    return `${header}    <testcase classname="${attr(className)}" name="${attr(result.title)}" time="0">\n      <skipped message="${attr(`locked: ${reasons}`)}"/>\n    </testcase>\n  </testsuite>\n`;
  }
  const cases = result.checks
    .map((check) => {
      const open = `    <testcase classname="${attr(className)}" name="${attr(`${check.id}: ${check.title}`)}" time="${seconds(check.durationMs)}"`;
      if (check.status === 'pass') return `${open}/>\n`;
      const element = check.status === 'fail' ? 'failure' : 'error';
      const detail = [check.message, check.hint ? `hint: ${check.hint}` : '', check.observed ? `observed: ${JSON.stringify(check.observed)}` : '']
        .filter(Boolean)
        .join('\n');
      return `${open}>\n      <${element} message="${attr(check.message)}">${text(detail)}</${element}>\n    </testcase>\n`;
    })
    .join('');
  return `${header}${cases}  </testsuite>\n`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

// XML 1.0 forbids most control characters even when escaped; drop them.
const invalidXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function text(value: string): string {
  return value.replace(invalidXml, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
