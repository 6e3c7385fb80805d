import { lexer, type Token, type Tokens } from 'marked';
import { answeredKey, isShellFence } from '../../lessons/index.js';

/** One `## Step N: …` section of a lesson: where it starts and the commands its code blocks hold. */
export interface StepSection {
  number: number;
  title: string;
  /** Index of the step's heading among the top-level tokens. */
  tokenIndex: number;
  /** The shell code blocks of the step, as written. */
  commands: string[];
  /** The live-quiz questions the step records an answer to (`isolab answer <lesson> <key> …`). */
  questionKeys: string[];
}

export interface LessonText {
  tokens: Token[];
  steps: StepSection[];
}

// The same rule the lesson loader uses for `steps` (src/lessons/parse.ts).
const stepHeading = /^Step (\d+)[:.]?\s*(.*)$/;

export function parseLessonText(markdown: string): LessonText {
  const tokens = lexer(markdown);
  const steps: StepSection[] = [];
  let current: StepSection | undefined;
  tokens.forEach((token, tokenIndex) => {
    if (token.type === 'heading' && token.depth <= 2) {
      const match = token.depth === 2 ? stepHeading.exec((token as Tokens.Heading).text) : null;
      current = match ? { number: Number(match[1]), title: match[2]!.trim(), tokenIndex, commands: [], questionKeys: [] } : undefined;
      if (current) steps.push(current);
      return;
    }
    // The shell blocks and the questions they answer, by the rules `isolab show --commands` uses.
    if (current && token.type === 'code' && isShellFence((token as Tokens.Code).lang ?? '')) {
      const code = (token as Tokens.Code).text;
      current.commands.push(code);
      for (const key of code.split('\n').map(answeredKey)) {
        if (key !== undefined && !current.questionKeys.includes(key)) current.questionKeys.push(key);
      }
    }
  });
  return { tokens, steps };
}
