import { Text } from 'ink';
import type { Notice } from '../hooks/use-lesson-state.js';
import { useTheme } from '../theme.js';

/** One line of news: what just happened, or what went wrong and what to do (never colour alone: `!`). */
export function NoticeLine({ notice, busy }: { notice: Notice | null; busy?: string | null }) {
  const { color } = useTheme();
  if (busy) return <Text wrap="truncate-end">… {busy}</Text>;
  if (!notice) return <Text> </Text>;
  return (
    <Text wrap="truncate-end" color={color && notice.kind === 'error' ? 'red' : undefined}>
      {notice.kind === 'error' ? `! ${notice.text}` : notice.text}
    </Text>
  );
}
