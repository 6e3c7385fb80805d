import { Box, Text } from 'ink';
import type { LessonMeta } from '../../lessons/index.js';
import type { ListEntry } from '../../report/index.js';
import { useTheme } from '../theme.js';
import { StatusMark } from './StatusMark.js';

/** The lesson's name, kind and status (and a failed verify since it was done); where the reader is. */
export function LessonHeader(props: { lesson: LessonMeta; entry: Pick<ListEntry, 'status' | 'lastVerify'>; step: string | undefined; percent: number; width: number }) {
  const { lesson, entry, step, percent, width } = props;
  const { color } = useTheme();
  const place = `${step ? `${step} · ` : ''}${percent}%`;
  // The place gets at most half the line; the lesson's name takes what is left.
  const placeWidth = Math.min(place.length, Math.floor(width / 2)) + 2;
  return (
    <Box flexDirection="row" width={width}>
      <Box flexGrow={1} flexShrink={1}>
        <Text wrap="truncate-end">
          <Text bold color={color ? 'magentaBright' : undefined}>{`${lesson.short} ${lesson.title}`}</Text>
          <Text dimColor>{` · ${lesson.kind} · ${lesson.minutes} min  `}</Text>
          <StatusMark entry={entry} />
        </Text>
      </Box>
      <Box width={placeWidth} flexShrink={0} paddingLeft={2} justifyContent="flex-end">
        <Text wrap="truncate-end" dimColor>
          {place}
        </Text>
      </Box>
    </Box>
  );
}
