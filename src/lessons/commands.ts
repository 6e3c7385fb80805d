/**
 * The shell commands a lesson shows: its fenced `sh` blocks, grouped under the `##` heading they stand below.
 * `isolab show <lesson> --commands` prints them for copying, and test/lesson-commands.test.ts checks that
 * each one runs in a root shell, so both read them here. Plain line scanning: the runtime parses no Markdown.
 */

export interface CommandSection {
  /** The `##` heading the blocks stand below, without the `## `; `null` before the first heading. */
  heading: string | null;
  /** N of a `## Step N` heading, otherwise `null`. */
  step: number | null;
  /** Each fenced block's text, without its fence lines and without the fence's indentation. */
  blocks: string[];
  /** 1-based line in the body of each block's first line (for messages that point into the lesson). */
  lines: number[];
}

/**
 * Whether a fence's info string marks shell commands: lessons/README.md asks for `sh`. An unlabelled block is a
 * diagram or a program's output (`7:0 rbytes=0 wbytes=4194304 …`), never something to run. The workbook's
 * `c` (src/tui/markdown/lesson-text.ts) uses the same rule.
 */
export const isShellFence = (info: string): boolean => /^(sh|bash|shell)$/i.test(info.trim());
const fenceOpen = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const stepHeading = /^Step (\d+)\b/;

/** The sections of a lesson body that hold at least one shell block, in order. */
export function commandSections(body: string): CommandSection[] {
  const sections: CommandSection[] = [];
  let current: CommandSection = { heading: null, step: null, blocks: [], lines: [] };
  const lines = body.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const open = fenceOpen.exec(line);
    if (open) {
      const [, indent, fence, info] = open as unknown as [string, string, string, string];
      // A fence closes on a line of the same character, at least as long (CommonMark).
      const closing = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
      const content: string[] = [];
      const first = index + 1;
      for (index++; index < lines.length && !closing.test(lines[index]!); index++) {
        content.push(lines[index]!.startsWith(indent) ? lines[index]!.slice(indent.length) : lines[index]!.trimStart());
      }
      if (isShellFence(info)) {
        current.blocks.push(content.join('\n'));
        current.lines.push(first + 1);
      }
      continue;
    }
    const heading = /^## +(.+?)\s*$/.exec(line);
    if (heading) {
      if (current.blocks.length > 0) sections.push(current);
      const step = stepHeading.exec(heading[1]!);
      current = { heading: heading[1]!, step: step ? Number(step[1]) : null, blocks: [], lines: [] };
    }
  }
  if (current.blocks.length > 0) sections.push(current);
  return sections;
}

/** `isolab answer <lesson> <key> …` in a line of a block: the key whose question the line answers. */
export function answeredKey(line: string): string | undefined {
  return /^\s*isolab answer \S+ ([a-z0-9-]+)\b/.exec(line)?.[1];
}
