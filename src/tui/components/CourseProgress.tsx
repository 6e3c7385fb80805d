import { Text } from 'ink';
import type { CourseMode } from '../course.js';
import { useTheme } from '../theme.js';

/** "Full course · 3 of 12 lessons done ███░░░ 25%", and how to switch to the other course. */
export function CourseProgress({ mode, done, total, width }: { mode: CourseMode; done: number; total: number; width: number }) {
  const { glyphs, color } = useTheme();
  const percent = total === 0 ? 0 : Math.round((done / total) * 100);
  const barWidth = Math.max(0, Math.min(30, width - 70));
  const filled = total === 0 ? 0 : Math.round((done / total) * barWidth);
  return (
    <Text wrap="truncate-end">
      <Text bold>{mode === 'full' ? 'Full course' : 'Fast path ★'}</Text>
      {` · ${done} of ${total} lessons done `}
      {barWidth > 0 && (
        <Text>
          <Text color={color ? 'green' : undefined}>{glyphs.barFull.repeat(filled)}</Text>
          <Text dimColor>{glyphs.barEmpty.repeat(barWidth - filled)}</Text>{' '}
        </Text>
      )}
      {`${percent}%`}
      <Text dimColor>{mode === 'full' ? '  (f: fast path)' : '  (f: full course)'}</Text>
    </Text>
  );
}
