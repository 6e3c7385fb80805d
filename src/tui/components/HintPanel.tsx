import { Box, Text } from 'ink';
import type { HintsView } from '../hooks/use-lesson-state.js';

/** The hints shown so far (one more per press of h), and the hint the last verify computed. */
export function HintPanel({ hints }: { hints: HintsView }) {
  return (
    <Box flexDirection="column">
      <Text bold>{`Hints · ${hints.shown.length} of ${hints.total}`}</Text>
      {hints.shown.length === 0 && <Text dimColor>No hint shown yet: h shows the first.</Text>}
      {hints.shown.map((hint, index) => (
        <Box key={index} flexDirection="row">
          <Box width={4} flexShrink={0}>
            <Text>{`${index + 1}.`}</Text>
          </Box>
          <Text>{hint}</Text>
        </Box>
      ))}
      {hints.fromLastVerify && <Text>{`From your last verify: ${hints.fromLastVerify}`}</Text>}
      <Text dimColor>{hints.shown.length < hints.total ? 'h: one more hint.' : 'That is every hint.'}</Text>
    </Box>
  );
}
