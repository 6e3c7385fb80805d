import { describe, expect, it } from 'vitest';
import { templateProblems } from './helpers/lesson-template.js';

const lesson = (body: string) => `---\ntitle: T\n---\n\n# T\n\n${body}`;
const good = lesson(`**Goal:** a thing.

Prose.

## Step 1: First

\`\`\`sh
true
\`\`\`

## Step 2: Second

## Cleanup

Nothing to clean.

## When it goes wrong

- nothing.
`);
const problemsOf = (text: string, short = '9.9') => templateProblems(text, short).map((found) => found.problem);

describe('the lesson template', () => {
  it('accepts a lesson with a goal, steps 1 and 2, a cleanup and "When it goes wrong" last', () => {
    expect(templateProblems(good, '9.9')).toEqual([]);
  });

  it('wants a goal before the first section', () => {
    expect(problemsOf(good.replace('**Goal:** a thing.', 'A thing.'))).toEqual(['has no "**Goal:** …" line before its first section']);
    expect(problemsOf(good.replace('**Goal:** a thing.\n', '').replace('## Cleanup', '**Goal:** late.\n\n## Cleanup'))).toContain('has no "**Goal:** …" line before its first section');
  });

  it('wants steps numbered from 1 without a gap', () => {
    expect(problemsOf(good.replace('## Step 1: First', 'Step one, untitled'))).toEqual(['step 2 stands where step 1 should: steps are numbered 1, 2, 3… without a gap']);
    expect(problemsOf(good.replace('## Step 2: Second', '## Step 3: Second'))).toEqual(['step 3 stands where step 2 should: steps are numbered 1, 2, 3… without a gap']);
    expect(problemsOf(good.replace('## Step 2: Second', '## Step two'))).toEqual(['"## Step two" is not "## Step <n>: <title>"']);
    expect(problemsOf(good.replace(/## Step \d: \w+/g, '## Part'))).toContain('has no "## Step 1: …"');
  });

  it('reads no heading inside a fenced block', () => {
    expect(problemsOf(good.replace('true\n', '## Step 7: inside an example\n'))).toEqual([]);
  });

  it('wants a cleanup section, and "When it goes wrong" as the last section', () => {
    expect(problemsOf(good.replace('## Cleanup', '## Tidy'))).toEqual(['has no "## Cleanup" section (say what to remove, or that nothing is left)']);
    expect(problemsOf(good.replace('## When it goes wrong\n\n- nothing.\n', '## When it goes wrong\n\n- nothing.\n\n## More\n'))).toEqual(['does not end with "## When it goes wrong"']);
  });

  it('refuses prose about one machine: "this machine", the lanes, Firecracker outside the lessons about it', () => {
    const withProse = (sentence: string) => good.replace('Prose.', sentence);
    expect(problemsOf(withProse('On this machine it refuses.'))).toEqual(['says "this machine": the reader is on their own machine; say "your machine" (or name the case: "on cgroup v1")']);
    expect(problemsOf(withProse('This host runs hybrid.'))).toHaveLength(1);
    expect(problemsOf(withProse('On this v1 machine the line prints one per hierarchy.'))).toHaveLength(1);
    // Over a line break, reported once, on the line where it starts.
    const split = withProse('built for this\nmachine and its applets');
    expect(templateProblems(split, '9.9').map((found) => found.line)).toEqual([split.split('\n').indexOf('built for this') + 1]);
    expect(problemsOf(withProse('and the v2 lane runs pure v2'))).toEqual(["names the project's test lanes, which the reader does not have"]);
    expect(problemsOf(withProse('as on Firecracker'))).toHaveLength(1);
    expect(problemsOf(withProse("Firecracker's jailer does this"), '4.2')).toEqual([]);
    // Quoted output may say it: isolab's own messages do.
    expect(problemsOf(withProse('`"x" is not what this machine says`'))).toEqual([]);
  });

  it('refuses, anywhere, a kernel release or a prompt copied from one machine', () => {
    expect(problemsOf(good.replace('true', 'uname -r   # 6.18.44-fc-v1098'))).toEqual(['shows a kernel (or package) release of one machine: "6.18.44-fc-v1098"']);
    expect(problemsOf(good.replace('Prose.', 'Debian says 6.1.0-18-amd64.'))).toHaveLength(1);
    expect(problemsOf(good.replace('true', 'root@vm:~# hostname'))).toEqual(['shows a shell prompt with a host name: "root@vm:~#"']);
    // Versions a lesson teaches are not releases of one machine.
    expect(problemsOf(good.replace('Prose.', 'pidfd_open came with Linux 5.3; runc 1.1.5 converts linearly.'))).toEqual([]);
  });

  it('points at the line', () => {
    const text = good.replace('Prose.', 'On this machine.');
    expect(templateProblems(text, '9.9')[0]!.line).toBe(text.split('\n').indexOf('On this machine.') + 1);
  });
});
