import { Text } from 'ink';
import type { HomeRow } from '../course.js';
import { listMark } from '../marks.js';
import { displayWidth } from '../markdown/spans.js';
import { useTheme } from '../theme.js';

/**
 * The tracks and their lessons, scrolled so the selected lesson stays in view. The selected row carries a
 * pointer as well as inverse video, so it shows without colour. Each row is one Text (columns padded here):
 * the list is most of the first frame, and ink lays out a Text far faster than a row of Boxes.
 */
export function LessonList({ rows, selected, height, width }: { rows: readonly HomeRow[]; selected: string | undefined; height: number; width: number }) {
  const { glyphs, color } = useTheme();
  const selectedRow = Math.max(0, rows.findIndex((row) => row.key === selected));
  const shown = height > 0 ? height : rows.length;
  const start = Math.max(0, Math.min(selectedRow - Math.floor(shown / 2), rows.length - shown));
  const markWidth = Math.max(13, ...rows.map((row) => (row.kind === 'lesson' ? listMark(row.entry).text.length : 0)));
  const titleWidth = Math.max(10, width - 2 - 6 - 9 - 2 - markWidth);
  return (
    <>
      {rows.slice(start, start + shown).map((row) => {
        if (row.kind === 'track') {
          return <Text key={row.key} bold wrap="truncate-end">{`${String(row.number).padStart(2, '0')} ${row.title}`}</Text>;
        }
        const { entry } = row;
        const isSelected = entry.id === selected;
        const mark = listMark(entry);
        const title = fit(`${entry.title}${entry.fastPath ? ' ★' : ''}`, titleWidth);
        return (
          <Text key={row.key} wrap="truncate-end">
            <Text inverse={isSelected && color} bold={isSelected}>{`${isSelected ? glyphs.pointer : ' '} ${entry.short.padEnd(5)} ${title}`}</Text>
            <Text dimColor>{`${entry.minutes} min`.padStart(9)}</Text>
            {'  '}
            <Text color={color ? mark.color : undefined} dimColor={mark.dim}>
              {mark.text}
            </Text>
          </Text>
        );
      })}
    </>
  );
}

/** `text` cut with an ellipsis or padded with spaces to exactly `width` columns. */
function fit(text: string, width: number): string {
  if (displayWidth(text) <= width) return text + ' '.repeat(width - displayWidth(text));
  let cut = '';
  for (const char of text) {
    if (displayWidth(cut + char) > width - 1) break;
    cut += char;
  }
  return `${cut}…${' '.repeat(Math.max(0, width - 1 - displayWidth(cut)))}`;
}
