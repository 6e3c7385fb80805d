import { useEffect, useRef } from 'react';

/**
 * When the text is laid out again (a resize re-wraps it), scrolls to the start of the block that was at the
 * top of the view, so the reader keeps their place instead of landing wherever the old line number points.
 */
export function useKeepPlace(lines: readonly { tokenIndex: number }[], offset: number, goto: (line: number) => void): void {
  const anchor = useRef<{ lines: readonly { tokenIndex: number }[]; tokenIndex: number }>(undefined);
  useEffect(() => {
    const previous = anchor.current;
    if (!previous || previous.lines === lines || previous.tokenIndex < 0) return;
    const line = lines.findIndex((candidate) => candidate.tokenIndex >= previous.tokenIndex);
    if (line >= 0) goto(line);
  }, [lines]);
  useEffect(() => {
    anchor.current = { lines, tokenIndex: lines[offset]?.tokenIndex ?? -1 };
  });
}
