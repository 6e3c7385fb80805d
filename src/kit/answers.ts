import { sameText } from '../verify/index.js';

/** How a quiz truth says a yes/no fact. */
export const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

// 1 and 0 too: a bit test in the shell (`$(( (mask >> 39) & 1 ))`, lessons 0.2 and 5.1) prints one of them.
const yesNoWords: Record<string, string> = { y: 'yes', true: 'yes', 1: 'yes', n: 'no', false: 'no', 0: 'no' };

/** A yes/no answer as a learner may type it (`y`, `true`, `1`, `No`) against the truth's `yes` or `no`. */
export const sameYesNo = (answer: string, truth: string): boolean => sameText(yesNoWords[answer.trim().toLowerCase()] ?? answer, truth);

/** A matcher that accepts the truth's own word or one of its synonyms (`unified` for `v2`). */
export const sameWithSynonyms =
  (synonyms: Readonly<Record<string, string>>) =>
  (answer: string, truth: string): boolean =>
    sameText(synonyms[answer.trim().toLowerCase()] ?? answer, truth);

/** A number, however it is spaced. */
export const sameNumber = (answer: string, truth: string): boolean => answer.trim() !== '' && Number(answer.trim()) === Number(truth);

/** JSON text that should be an object, or undefined (not JSON, or an array or a value). */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
