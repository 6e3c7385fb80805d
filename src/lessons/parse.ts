import { LineCounter, parseDocument, isNode } from 'yaml';
import { IsolabError, ExitCode } from '../errors/index.js';
import { frontMatterSchema, type FrontMatter } from './front-matter.js';

export interface ParsedLesson {
  frontMatter: FrontMatter;
  body: string;
  /** 1-based line of the first body line in the file. */
  bodyLine: number;
}

/** A lesson file that cannot be used; the message names the file, line and field. */
export class LessonFormatError extends IsolabError {
  constructor(file: string, line: number, what: string) {
    super(`${file}:${line}: ${what}`, {
      remedy: 'Fix the lesson file; lessons/README.md describes the front matter.',
      exitCode: ExitCode.usage,
    });
    this.name = 'LessonFormatError';
  }
}

const fence = /^---[ \t]*$/;

/** Splits `---` YAML front matter from the Markdown body and validates it. */
export function parseLesson(file: string, text: string): ParsedLesson {
  const lines = text.split('\n');
  if (!fence.test(lines[0] ?? '')) throw new LessonFormatError(file, 1, 'the file must start with --- front matter');
  const end = lines.findIndex((line, index) => index > 0 && fence.test(line));
  if (end < 0) throw new LessonFormatError(file, 1, 'the front matter has no closing ---');

  const yamlText = lines.slice(1, end).join('\n');
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  // The YAML starts on line 2 of the file.
  const fileLine = (offset: number) => lineCounter.linePos(offset).line + 1;

  const yamlError = document.errors[0];
  if (yamlError) throw new LessonFormatError(file, fileLine(yamlError.pos[0]), `YAML: ${yamlError.message.split('\n')[0]}`);

  const result = frontMatterSchema.safeParse(document.toJS() ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
    if (issue.code === 'unrecognized_keys' && issue.keys[0]) path.push(issue.keys[0]);
    // Point at the deepest node that exists: a missing field points at its parent (or the front matter).
    let line = 2;
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) {
        line = fileLine(node.range[0]);
        break;
      }
    }
    const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : path.join('.') || 'front matter';
    throw new LessonFormatError(file, line, `${field}: ${issue.message}`);
  }

  return { frontMatter: result.data, body: lines.slice(end + 1).join('\n'), bodyLine: end + 2 };
}

/** The numbered step headings of a body: `## Step 1: Do this` → `Do this`. */
export function stepTitles(body: string): string[] {
  const steps: string[] = [];
  for (const match of body.matchAll(/^## Step (\d+)[:.]?\s*(.*)$/gm)) steps.push(match[2]!.trim());
  return steps;
}
