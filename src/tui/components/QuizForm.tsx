import { Box, Text } from 'ink';
import type { Question } from '../../lessons/index.js';
import type { QuizState } from '../hooks/use-quiz-state.js';
import { useTheme } from '../theme.js';

/** The live-quiz questions with the recorded answers, and a text field for the selected one. */
export function QuizForm(props: { short: string; questions: readonly Question[]; answers: Readonly<Record<string, string>>; state: QuizState }) {
  const { questions, answers, state, short } = props;
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
        return (
          <Box key={question.key} flexDirection="column">
            <Text wrap="truncate-end" bold={selected}>
              {`${selected ? glyphs.pointer : ' '} ${recorded !== undefined ? '✓' : '·'} ${question.prompt}`}
              {recorded !== undefined && <Text dimColor>{`  recorded: ${recorded}`}</Text>}
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
