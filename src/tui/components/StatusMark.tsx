import { Text } from 'ink';
import type { LessonStatus } from '../../report/index.js';
import { statusMarks } from '../marks.js';
import { useTheme } from '../theme.js';

export function StatusMark({ status }: { status: LessonStatus }) {
  const { color } = useTheme();
  const mark = statusMarks[status];
  return (
    <Text color={color ? mark.color : undefined} dimColor={mark.dim}>
      {mark.text}
    </Text>
  );
}
