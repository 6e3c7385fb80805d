import { Text } from 'ink';
import type { CourseCount } from '../../report/index.js';
import type { CourseMode } from '../course.js';
import { useTheme } from '../theme.js';

/**
 * "Fast path ★ · 5 of 8 lessons done (3 locked here: can reach 62%) █████░░░ 62%", and how to switch to the
 * other course. The locked count says why the bar cannot fill on this machine.
 */
export function CourseProgress({ mode, count, width }: { mode: CourseMode; count: CourseCount; width: number }) {
  const { glyphs, color } = useTheme();
  const { done, total, text } = count;
  const percent = total === 0 ? 0 : Math.round((done / total) * 100);
  // What is left of the line after the words, up to 30 columns.
  const barWidth = Math.max(0, Math.min(30, width - 40 - text.length));
  const filled = total === 0 ? 0 : Math.round((done / total) * barWidth);
  return (
    <Text wrap="truncate-end">
      <Text bold>{mode === 'full' ? 'Full course' : 'Fast path ★'}</Text>
      {` · ${text} `}
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
