import { Box, Text } from 'ink';
import type { VerifyState } from '../hooks/use-verify-state.js';
import { useTheme } from '../theme.js';
import { CheckLine } from './CheckLine.js';

/**
 * Verify or watch results as they arrive. The verdict and what to do next come first, so a panel cut short on
 * a small terminal still says them.
 */
export function VerifyPanel({ state, watching, watchWhat, next }: { state: VerifyState; watching: boolean; watchWhat: string; next: string | undefined }) {
  const { color } = useTheme();
  const source = state.source === 'watch' ? `Watch${watching ? '' : ' (off)'} · ${watchWhat} · run ${state.runs + (state.phase === 'running' ? 1 : 0)}` : 'Verify';
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {source}
      </Text>
      {state.phase === 'idle' && <Text dimColor>No checks run yet: v verifies, w watches.</Text>}
      {state.phase === 'running' && state.source === 'verify' && <Text dimColor>Running the checks…</Text>}
      {state.error && <Text color={color ? 'yellow' : undefined}>{`! The checks could not run: ${state.error}`}</Text>}
      {state.outcome && state.phase !== 'idle' && <Outcome state={state} next={next} />}
      {state.checks.map((check) => (
        <CheckLine key={check.id} check={check} />
      ))}
    </Box>
  );
}

function Outcome({ state, next }: { state: VerifyState; next: string | undefined }) {
  const { color } = useTheme();
  const { status, passed, total, lockedReasons } = state.outcome!;
  if (status === 'locked') {
    return (
      <Box flexDirection="column">
        <Text>✗ Locked on this machine:</Text>
        {lockedReasons.map((reason) => (
          <Text key={reason}>{`  - ${reason}`}</Text>
        ))}
      </Box>
    );
  }
  // A watch run that passes is recorded as a verify is: the same words.
  if (status === 'pass') {
    return (
      <Text>
        <Text color={color ? 'green' : undefined} bold>{`✓ Passed: ${passed} of ${total} checks.`}</Text>
        {' The lesson is done.'}
        {next ? ` n: next lesson, ${next}.` : ' That was the last lesson.'}
      </Text>
    );
  }
  const word = status === 'error' ? '! Some checks could not run' : '✗ Not done yet';
  return <Text>{`${word}: ${passed} of ${total} checks passed. h: a hint.`}</Text>;
}
