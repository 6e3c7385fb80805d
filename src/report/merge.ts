import { basename } from 'node:path';
import type { VerifyDocument } from './documents.js';
import type { ResultFile } from './result-file.js';
import { csvCell, htmlText, showControls, terminalJson } from './safe-text.js';

export interface MergedReport {
  learners: Array<{ learner: string; passed: number; total: number; lessons: Record<string, VerifyDocument['status']> }>;
  lessons: Array<{ lesson: string; title: string; attempted: number; passed: number; commonFailure: { check: string; hint: string | null; count: number } | null }>;
  tampered: string[];
  unreadable: Array<{ file: string; problem: string }>;
  unsigned: string[];
}

/** One table from many learners' files; tampered and unreadable files are named and left out of the numbers. */
export function mergeReports(files: readonly ResultFile[]): MergedReport {
  const honest = files.filter((file) => file.status === 'valid' || file.status === 'unsigned');
  // Each learner's latest result per lesson.
  const latest = new Map<string, Map<string, VerifyDocument>>();
  for (const file of honest) {
    for (const result of file.results) {
      const learner = result.learner ?? basename(file.file).replace(/\.json$/, '');
      const lessons = latest.get(learner) ?? new Map<string, VerifyDocument>();
      const previous = lessons.get(result.lesson);
      if (!previous || previous.startedAt < result.startedAt) lessons.set(result.lesson, result);
      latest.set(learner, lessons);
    }
  }
  const byLesson = new Map<string, VerifyDocument[]>();
  for (const lessons of latest.values()) {
    for (const result of lessons.values()) {
      // Appended in place: a file may hold tens of thousands of learners, and a copy per result is quadratic.
      const results = byLesson.get(result.lesson) ?? [];
      results.push(result);
      byLesson.set(result.lesson, results);
    }
  }

  return {
    learners: [...latest.entries()]
      .map(([learner, lessons]) => {
        const results = [...lessons.values()].filter((result) => result.status !== 'locked');
        return { learner, passed: results.filter((result) => result.status === 'pass').length, total: results.length, lessons: Object.fromEntries([...lessons].map(([lesson, result]) => [lesson, result.status])) };
      })
      .sort((a, b) => a.learner.localeCompare(b.learner)),
    lessons: [...byLesson.entries()]
      .map(([lesson, results]) => {
        const attempted = results.filter((result) => result.status !== 'locked');
        return { lesson, title: results[0]!.title, attempted: attempted.length, passed: attempted.filter((result) => result.status === 'pass').length, commonFailure: mostCommonFailure(attempted) };
      })
      .sort((a, b) => a.lesson.localeCompare(b.lesson, 'en', { numeric: true })),
    tampered: files.filter((file) => file.status === 'tampered').map((file) => file.file),
    unreadable: files.filter((file) => file.status === 'unreadable').map((file) => ({ file: file.file, problem: file.problem ?? 'unreadable' })),
    unsigned: files.filter((file) => file.status === 'unsigned').map((file) => file.file),
  };
}

function mostCommonFailure(results: readonly VerifyDocument[]): MergedReport['lessons'][number]['commonFailure'] {
  const counts = new Map<string, { check: string; hint: string | null; count: number }>();
  for (const result of results) {
    const failing = result.checks.find((check) => check.status !== 'pass');
    if (!failing) continue;
    const entry = counts.get(failing.id) ?? { check: `${failing.id}: ${failing.title}`, hint: failing.hint, count: 0 };
    entry.count++;
    counts.set(failing.id, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count)[0] ?? null;
}

const percent = (part: number, whole: number) => (whole === 0 ? '-' : `${Math.round((part / whole) * 100)}%`);

/** The table for a terminal: every text from a file (and every file name) with its control characters shown, not sent. */
export function formatReportTable(report: MergedReport): string {
  const text = showControls;
  const lines = ['Lessons', ...report.lessons.map((lesson) => `  ${text(lesson.lesson).padEnd(34)} ${`${lesson.passed}/${lesson.attempted}`.padStart(7)} ${percent(lesson.passed, lesson.attempted).padStart(5)}  ${lesson.commonFailure ? `most failed: ${text(lesson.commonFailure.check)} (${lesson.commonFailure.count})` : ''}`)];
  lines.push('', 'Learners', ...report.learners.map((learner) => `  ${text(learner.learner).padEnd(34)} ${`${learner.passed}/${learner.total}`.padStart(7)} ${percent(learner.passed, learner.total).padStart(5)}`));
  for (const file of report.tampered) lines.push(`tampered: ${text(file)} (its signature does not match its content; left out)`);
  for (const { file, problem } of report.unreadable) lines.push(`unreadable: ${text(file)}: ${text(problem)}`);
  for (const file of report.unsigned) lines.push(`unsigned: ${text(file)} (no signature, though a key was given)`);
  return lines.join('\n');
}

/** `--json`: the merged report as a versioned document, safe to print to a terminal. */
export function reportJson(report: MergedReport): string {
  return terminalJson({ version: 1, ...report });
}

export function reportCsv(report: MergedReport): string {
  const rows = [['learner', 'lesson', 'status'].join(',')];
  for (const learner of report.learners) for (const [lesson, status] of Object.entries(learner.lessons)) rows.push([learner.learner, lesson, status].map(csvCell).join(','));
  return `${rows.join('\n')}\n`;
}

export function reportHtml(report: MergedReport, generatedAt = new Date().toISOString()): string {
  const lessonRows = report.lessons
    .map((lesson) => `<tr><td>${htmlText(lesson.lesson)}</td><td>${htmlText(lesson.title)}</td><td>${lesson.passed}/${lesson.attempted}</td><td>${percent(lesson.passed, lesson.attempted)}</td><td>${lesson.commonFailure ? `${htmlText(lesson.commonFailure.check)} (${lesson.commonFailure.count})${lesson.commonFailure.hint ? `<br><small>${htmlText(lesson.commonFailure.hint)}</small>` : ''}` : ''}</td></tr>`)
    .join('\n');
  const learnerRows = report.learners.map((learner) => `<tr><td>${htmlText(learner.learner)}</td><td>${learner.passed}/${learner.total}</td><td>${percent(learner.passed, learner.total)}</td></tr>`).join('\n');
  const warnings = [...report.tampered.map((file) => `tampered: ${file}`), ...report.unreadable.map(({ file, problem }) => `unreadable: ${file}: ${problem}`)]
    .map((line) => `<li>${htmlText(line)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>isolab class report</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;margin-bottom:2rem}td,th{border:1px solid #bbb;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#eee}.warn{color:#a00}</style>
</head><body>
<h1>isolab class report</h1><p>Generated ${htmlText(generatedAt)} from ${report.learners.length} learners.</p>
${warnings ? `<ul class="warn">${warnings}</ul>` : ''}
<h2>Lessons</h2><table><tr><th>lesson</th><th>title</th><th>passed</th><th>rate</th><th>most common failing check and hint</th></tr>
${lessonRows}
</table>
<h2>Learners</h2><table><tr><th>learner</th><th>passed</th><th>progress</th></tr>
${learnerRows}
</table></body></html>
`;
}
