import { Box, Text } from 'ink';
import type { CheckRow } from '../hooks/use-verify-state.js';
import { useTheme } from '../theme.js';
import { Spinner } from './Spinner.js';

const marks = { pass: { text: '✓', color: 'green' }, fail: { text: '✗', color: 'red' }, error: { text: '!', color: 'yellow' } } as const;

/** One check: a spinner while it runs, then ✓/✗/! with what it saw, and for a failure what to try. */
export function CheckLine({ check }: { check: CheckRow }) {
  const { color } = useTheme();
  return (
    <Box flexDirection="column">
      <Box flexDirection="row">
        <Box width={2} flexShrink={0}>
          {check.status === 'running' ? <Spinner /> : <Text color={color ? marks[check.status].color : undefined}>{marks[check.status].text}</Text>}
        </Box>
        <Text>
          <Text bold>{check.title}</Text>
          {check.status === 'running' ? <Text dimColor> checking…</Text> : `: ${check.message ?? ''}`}
        </Text>
      </Box>
      {check.status !== 'running' && check.status !== 'pass' && check.hint && (
        <Box paddingLeft={4}>
          <Text dimColor>{`try: ${check.hint}`}</Text>
        </Box>
      )}
    </Box>
  );
}
