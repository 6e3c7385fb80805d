import { Box, Text } from 'ink';
import type { StepState } from '../steps.js';
import { useTheme } from '../theme.js';

/** The lesson's steps: the pointer at the one being read; ✓ done, ✗ an answer found wrong, • answered, not checked yet, · still to do. */
export function StepList(props: { steps: readonly { number: number; title: string }[]; states: readonly StepState[]; current: number }) {
  const { steps, states, current } = props;
  const { glyphs, color } = useTheme();
  const marks: Record<StepState, string> = { done: '✓', failed: '✗', answered: glyphs.bullet, todo: '·' };
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Text bold>Steps</Text>
      {steps.length === 0 && <Text dimColor>This lesson has no numbered steps.</Text>}
      {steps.map((step, index) => {
        const state = states[index] ?? 'todo';
        const reading = index === current;
        return (
          <Text key={step.number} wrap="truncate-end" bold={reading} dimColor={state === 'todo' && !reading}>
            {`${reading ? glyphs.pointer : ' '} `}
            <Text color={color && state === 'done' ? 'green' : color && state === 'failed' ? 'red' : undefined}>{marks[state]}</Text>
            {` ${step.number} ${step.title}`}
          </Text>
        );
      })}
    </Box>
  );
}
