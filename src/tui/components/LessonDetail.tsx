import { Box, Text } from 'ink';
import type { LessonMeta } from '../../lessons/index.js';
import { failedSinceDone, type ListEntry } from '../../report/index.js';
import { StatusMark } from './StatusMark.js';

/** The selected lesson: what it is, and for a locked one why it is locked here and what to do about it. */
export function LessonDetail({ entry, lesson }: { entry: ListEntry | undefined; lesson: LessonMeta | undefined }) {
  if (!entry || !lesson) return <Text dimColor>No lesson matches.</Text>;
  const facts = [
    lesson.kind,
    `${lesson.minutes} min`,
    `${lesson.steps.length} ${lesson.steps.length === 1 ? 'step' : 'steps'}`,
    ...(lesson.questions.length > 0 ? [`${lesson.questions.length} questions`] : []),
    ...(lesson.fastPath ? ['★ fast path'] : []),
  ];
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{`${entry.short} ${entry.title}`}</Text>
        <Text dimColor>{`  ${entry.id}`}</Text>
      </Text>
      <Text wrap="truncate-end">
        {`${facts.join(' · ')}  `}
        <StatusMark entry={entry} />
      </Text>
      {entry.status === 'locked' ? (
        <Box flexDirection="column">
          <Text>Locked on this machine (Enter still opens it to read):</Text>
          {entry.lockedReasons.map((reason) => (
            <Box key={reason} flexDirection="row">
              <Box width={4} flexShrink={0}>
                <Text>{'  -'}</Text>
              </Box>
              <Text>{reason}</Text>
            </Box>
          ))}
        </Box>
      ) : (
        <Text dimColor>{describeDone(entry)}</Text>
      )}
    </Box>
  );
}

function describeDone(entry: ListEntry): string {
  if (entry.status !== 'done') return 'Enter opens it.';
  // It stays done and counted: the pass happened (its lab may simply have been cleaned up since).
  if (failedSinceDone(entry)) return 'Done earlier, and still counted; the last verify failed. Enter opens it, v verifies again.';
  return 'Done. Enter opens it again.';
}
