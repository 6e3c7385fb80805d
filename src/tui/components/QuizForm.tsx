import { Box, Text } from 'ink';
import type { Question } from '../../lessons/index.js';
import type { AnswerState } from '../answers.js';
import type { QuizState } from '../hooks/use-quiz-state.js';
import { useTheme } from '../theme.js';

/** What the mark and the note after a recorded answer say: ✓ only for an answer a check proved. */
const verdicts: Record<AnswerState, { mark: (bullet: string) => string; note: string }> = {
  missing: { mark: () => '·', note: '' },
  recorded: { mark: (bullet) => bullet, note: ' (not checked yet: v verifies)' },
  wrong: { mark: () => '✗', note: ' (not what this machine says)' },
  proved: { mark: () => '✓', note: '' },
};

/** The live-quiz questions with the recorded answers and what the checks made of them, and a text field for the selected one. */
export function QuizForm(props: {
  short: string;
  questions: readonly Question[];
  answers: Readonly<Record<string, string>>;
  judged: Readonly<Record<string, AnswerState>>;
  state: QuizState;
}) {
  const { questions, answers, judged, state, short } = props;
  const { glyphs, plain, color } = useTheme();
  const answered = questions.filter((question) => answers[question.key] !== undefined).length;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {`Answers · ${answered} of ${questions.length} recorded (as \`isolab answer ${short} <key> <value>\` would)`}
      </Text>
      {questions.map((question, index) => {
        const selected = index === state.selected;
        const recorded = answers[question.key];
        const verdict = verdicts[judged[question.key] ?? (recorded === undefined ? 'missing' : 'recorded')];
        return (
          <Box key={question.key} flexDirection="column">
            <Text wrap="truncate-end" bold={selected}>
              {`${selected ? glyphs.pointer : ' '} ${verdict.mark(glyphs.bullet)} ${question.prompt}`}
              {recorded !== undefined && <Text dimColor>{`  recorded: ${recorded}${verdict.note}`}</Text>}
            </Text>
            {selected && (
              <Text>
                {`    ${question.key}: `}
                <Text color={color ? 'cyan' : undefined}>{state.draft}</Text>
                {state.saving ? ' saving…' : plain ? '_' : '▏'}
              </Text>
            )}
          </Box>
        );
      })}
      {state.error && <Text color={color ? 'red' : undefined}>{`! ${state.error}`}</Text>}
      {answered === questions.length && <Text dimColor>Every question has an answer: Esc, then v verifies them.</Text>}
    </Box>
  );
}
