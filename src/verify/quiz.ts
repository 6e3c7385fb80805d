import type { Check, CheckContext, SolutionContext } from './types.js';

/**
 * A live-quiz question: its answer comes from this machine, so it cannot be copied from a solution.
 * `truth` reads the kernel the way isolab does; `solve` finds the answer the way the lesson teaches a learner
 * (a command), so the self-test also proves the lesson's instructions lead to the truth.
 */
export interface QuizQuestion {
  key: string;
  title: string;
  truth(context: CheckContext): Promise<string>;
  solve(context: CheckContext): Promise<string>;
  /** Default: equal after trimming, case-insensitive. */
  matches?(answer: string, truth: string): boolean;
  /** Where to look, shown when the answer is missing or wrong. */
  howToFind: string;
}

export function quizCheck(question: QuizQuestion): Check {
  return {
    id: question.key,
    title: question.title,
    tag: 'observe',
    timeoutMs: 10_000,
    async run(context) {
      const answer = context.answers[question.key];
      const command = `isolab answer ${context.lesson.short} ${question.key} <value>`;
      if (answer === undefined) {
        return {
          pass: false,
          message: 'no answer recorded yet',
          observed: { answer: null },
          hint: `${question.howToFind} Then record it: \`${command}\`.`,
        };
      }
      const truth = await question.truth(context);
      const matches = question.matches ?? sameText;
      if (matches(answer, truth)) {
        return { pass: true, message: `"${answer}" is what this machine says`, observed: { answer, truth } };
      }
      // The truth stays out of a failure: the learner should find it on the machine, not in our output.
      return {
        pass: false,
        message: `"${answer}" is not what this machine says`,
        observed: { answer },
        hint: `${question.howToFind} Then record it again: \`${command}\`.`,
      };
    },
  };
}

/** The solution for a quiz lesson: find each answer as a learner would, then record it. */
export function answerEveryQuestion(questions: readonly QuizQuestion[]) {
  return async (context: SolutionContext): Promise<void> => {
    for (const question of questions) await context.answer(question.key, await question.solve(context));
  };
}

export function sameText(answer: string, truth: string): boolean {
  return answer.trim().toLowerCase() === truth.trim().toLowerCase();
}

/** Numbers given in any base a learner might type: `0x1ff`, `1ff` (hex fields), or decimal. */
export function sameHex(answer: string, truth: string): boolean {
  const parse = (text: string) => {
    const cleaned = text.trim().toLowerCase().replace(/^0x/, '');
    return /^[0-9a-f]+$/.test(cleaned) ? BigInt(`0x${cleaned}`) : undefined;
  };
  const a = parse(answer);
  return a !== undefined && a === parse(truth);
}
