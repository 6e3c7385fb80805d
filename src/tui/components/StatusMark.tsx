import { Text } from 'ink';
import { failedSinceDone, type ListEntry } from '../../report/index.js';
import { statusMarks } from '../marks.js';
import { useTheme } from '../theme.js';

/** The lesson's mark; for a lesson done earlier whose last verify failed, both facts, as `isolab list` says them. */
export function StatusMark({ entry }: { entry: Pick<ListEntry, 'status' | 'lastVerify'> }) {
  const { color } = useTheme();
  const mark = statusMarks[entry.status];
  const failed = failedSinceDone(entry);
  if (failed) {
    return (
      <Text>
        <Text color={color ? mark.color : undefined}>{failed.done}</Text>
        {' · '}
        <Text color={color ? 'yellow' : undefined}>{failed.last}</Text>
      </Text>
    );
  }
  return (
    <Text color={color ? mark.color : undefined} dimColor={mark.dim}>
      {mark.text}
    </Text>
  );
}
