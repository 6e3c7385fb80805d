import { describe, expect, it } from 'vitest';
import { answeredKey, commandSections } from './commands.js';

const body = `
# A lesson

\`\`\`sh
isolab doctor
\`\`\`

## Step 1: Look

\`\`\`sh
uname -r
\`\`\`

Some text, then output that is not a command:

\`\`\`text
6.1.0-26-amd64
\`\`\`

\`\`\`sh
cat /proc/1/comm
\`\`\`

## Step 2: A fence in a list, and a heading inside a block

- item:

  \`\`\`sh
  hostname
    indented further
  \`\`\`

\`\`\`\`sh
\`\`\`
## not a heading
\`\`\`\`

## Step 3: Words only

## Cleanup

\`\`\`bash
kill "$PID"
\`\`\`
`;

describe('commandSections', () => {
  const sections = commandSections(body);

  it('groups the sh blocks under their headings, with step numbers, skipping sections without any', () => {
    expect(sections.map((section) => [section.heading, section.step])).toEqual([
      [null, null],
      ['Step 1: Look', 1],
      ['Step 2: A fence in a list, and a heading inside a block', 2],
      ['Cleanup', null],
    ]);
    expect(sections[1]!.blocks).toEqual(['uname -r', 'cat /proc/1/comm']);
  });

  it("strips the fence's indentation and keeps a heading inside a block as text", () => {
    expect(sections[2]!.blocks).toEqual(['hostname\n  indented further', '```\n## not a heading']);
  });

  it('points at the first line of each block', () => {
    expect(body.split('\n')[sections[1]!.lines[0]! - 1]).toBe('uname -r');
    expect(body.split('\n')[sections[3]!.lines[0]! - 1]).toBe('kill "$PID"');
  });
});

describe('answeredKey', () => {
  it('names the question a line answers', () => {
    expect(answeredKey('isolab answer 2.9 quota-file <file>')).toBe('quota-file');
    expect(answeredKey('isolab verify 2.9')).toBeUndefined();
  });
});
