import { Box } from 'ink';
import { useEffect, type ReactElement } from 'react';
import { useBoxHeight } from '../hooks/use-box-height.js';

/**
 * The lesson text, scrolled: lines are already wrapped to `width`, so scrolling is slicing. The viewport's
 * height comes from the layout (whatever the panels leave) and is reported for paging.
 */
export function Pager({ lines, offset, width, onViewport }: { lines: readonly ReactElement[]; offset: number; width: number; onViewport: (height: number) => void }) {
  const [ref, height] = useBoxHeight();
  useEffect(() => onViewport(height), [height, onViewport]);
  return (
    <Box ref={ref} flexDirection="column" width={width} flexGrow={1} flexBasis={0} overflow="hidden" paddingLeft={1}>
      {lines.slice(offset, offset + (height || lines.length))}
    </Box>
  );
}
