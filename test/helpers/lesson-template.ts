/**
 * The lesson template (lessons/README.md, "The text"), as rules a test can hold every lesson to: a goal, steps
 * numbered 1, 2, 3… without a gap, a cleanup section and "When it goes wrong" last; and no sentence that
 * describes the machine the lesson was written on. A lesson is read on the learner's machine, so "this machine"
 * there is theirs, and a fact true only on the author's (its kernel release, its cgroup mode, the qemu lanes the
 * project tests in, the Firecracker VM it was written in) is a bug in the text.
 */

export interface TemplateProblem {
  /** 1-based line in the lesson file. */
  line: number;
  problem: string;
}

/**
 * Lessons whose subject is a product that other lessons must not present as the learner's machine: 4.1 and 4.2
 * explain what Firecracker's jailer does, so they may name it.
 */
export const mayName: Record<string, readonly string[]> = {
  firecracker: ['4.1', '4.2'],
};

/** Prose that speaks of one machine. Checked outside code: quoted output may say "this machine" (isolab's own). */
const proseRules: Array<{ pattern: RegExp; problem: string; allowKey?: keyof typeof mayName }> = [
  {
    pattern: /\bthis (?:[\w-]+ )?(machine|host|vm|computer|box|server|laptop)\b/i,
    problem: 'says "this $1": the reader is on their own machine; say "your machine" (or name the case: "on cgroup v1")',
  },
  { pattern: /\b(v2 |qemu |test )?lanes?\b/i, problem: "names the project's test lanes, which the reader does not have" },
  { pattern: /\bfirecracker\b/i, problem: 'names Firecracker, the machine the course was written on; only lessons about it may', allowKey: 'firecracker' },
];

/** Anywhere, code included: output copied from one machine. */
const everywhereRules: Array<{ pattern: RegExp; problem: string }> = [
  // 6.1.0-18-amd64, 6.18.44-fc-v1098: a whole release names one kernel build, not the reader's.
  { pattern: /\b\d+\.\d+\.\d+-[0-9A-Za-z][\w.+~-]*/, problem: 'shows a kernel (or package) release of one machine: "$0"' },
  // root@vm:~# — a prompt carries the author's host name.
  { pattern: /(^|\s)[a-z_][\w-]*@[\w.-]+:[~/][^\s]*\s?[#$](\s|$)/, problem: 'shows a shell prompt with a host name: "$0"' },
];

const fill = (text: string, match: RegExpExecArray) => text.replace(/\$(\d)/g, (_, index: string) => match[Number(index)]?.trim() ?? '');

/** Each line of the file, with fenced blocks and `inline code` blanked out (line numbers stay). */
function proseLines(lines: string[]): string[] {
  let fence: string | null = null;
  return lines.map((line) => {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence !== null) {
      if (open && open[1]![0] === fence[0] && open[1]!.length >= fence.length && line.trim() === open[1]) fence = null;
      return '';
    }
    if (open) {
      fence = open[1]!;
      return '';
    }
    return line.replace(/`[^`]*`/g, '``');
  });
}

/** Everything in `text` (a whole lesson file: front matter and body) that breaks the template. */
export function templateProblems(text: string, short: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const lines = text.split('\n');
  const bodyStart = lines[0] === '---' ? lines.indexOf('---', 1) + 1 : 0;
  const prose = proseLines(lines);
  // Headings outside fenced blocks only: a `## x` inside an example is not a section.
  const headings = prose.flatMap((line, index) => {
    const text = /^## +(.+?)\s*$/.exec(line)?.[1];
    return index >= bodyStart && text !== undefined ? [{ line: index + 1, text }] : [];
  });
  const firstHeading = headings[0]?.line ?? lines.length + 1;

  if (!lines.slice(bodyStart, firstHeading - 1).some((line) => /^\*\*Goal:\*\* \S/.test(line))) {
    problems.push({ line: bodyStart + 1, problem: 'has no "**Goal:** …" line before its first section' });
  }

  const steps = headings.filter((heading) => /^Step\b/.test(heading.text));
  if (steps.length === 0) problems.push({ line: bodyStart + 1, problem: 'has no "## Step 1: …"' });
  steps.forEach((step, position) => {
    const number = /^Step (\d+)[:.]? \S/.exec(step.text)?.[1];
    if (number === undefined) problems.push({ line: step.line, problem: `"## ${step.text}" is not "## Step <n>: <title>"` });
    else if (Number(number) !== position + 1) problems.push({ line: step.line, problem: `step ${number} stands where step ${position + 1} should: steps are numbered 1, 2, 3… without a gap` });
  });

  if (!headings.some((heading) => heading.text === 'Cleanup')) {
    problems.push({ line: lines.length, problem: 'has no "## Cleanup" section (say what to remove, or that nothing is left)' });
  }
  const last = headings.at(-1);
  if (last?.text !== 'When it goes wrong') problems.push({ line: last?.line ?? lines.length, problem: 'does not end with "## When it goes wrong"' });

  lines.forEach((line, position) => {
    // A phrase may run over a line break: look at this line and the next, and report what starts on this one.
    const here = prose[position]!;
    const joined = `${here} ${prose[position + 1]?.trimStart() ?? ''}`;
    for (const rule of proseRules) {
      const match = rule.pattern.exec(joined);
      if (match && match.index < here.length && !(rule.allowKey && mayName[rule.allowKey]!.includes(short))) {
        problems.push({ line: position + 1, problem: fill(rule.problem, match) });
      }
    }
    for (const rule of everywhereRules) {
      const match = rule.pattern.exec(line);
      if (match) problems.push({ line: position + 1, problem: fill(rule.problem, match) });
    }
  });
  return problems;
}
