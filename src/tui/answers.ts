/**
 * What is known about each live-quiz answer. A recorded answer is the learner's claim, not a fact: it is
 * `proved` only by a check that passed with that very answer (the last verify run here, or the evidence a
 * recorded pass kept), `wrong` when the last run failed it, and otherwise only `recorded`. An answer changed
 * after a run is judged again from scratch: the run judged the old one.
 */
export type AnswerState = 'missing' | 'recorded' | 'proved' | 'wrong';

/** A check of the last run, with the answer it judged (`observed.answer` of a quiz check). */
export interface JudgedAnswer {
  id: string;
  status: string;
  answer?: string | null;
}

export function answerStates(
  keys: readonly string[],
  answers: Readonly<Record<string, string>>,
  lastRun: readonly JudgedAnswer[],
  evidence: Readonly<Record<string, unknown>> = {},
): Record<string, AnswerState> {
  return Object.fromEntries(
    keys.map((key) => {
      const answer = answers[key];
      if (answer === undefined) return [key, 'missing'];
      const judged = lastRun.find((check) => check.id === key && check.answer === answer);
      if (judged?.status === 'pass') return [key, 'proved'];
      if (judged?.status === 'fail') return [key, 'wrong'];
      return [key, judgedAnswer(evidence[key]) === answer ? 'proved' : 'recorded'];
    }),
  );
}

/** The answer a quiz check observed (`{ answer, truth }`), if that is what `observed` is. */
export function judgedAnswer(observed: unknown): string | null | undefined {
  if (typeof observed !== 'object' || observed === null || !('answer' in observed)) return undefined;
  const { answer } = observed;
  return typeof answer === 'string' || answer === null ? answer : undefined;
}
