import { Box } from 'ink';
import { useTheme } from '../theme.js';

/**
 * A separator line: a box's top border, which ink draws without measuring it as text (string-width is slow on
 * long runs of box-drawing characters). In plain mode an empty line, so layouts keep their height.
 */
export function Rule({ width }: { width: number }) {
  const { plain } = useTheme();
  if (plain) return <Box height={1} width={width} flexShrink={0} />;
  return <Box width={width} height={1} flexShrink={0} borderStyle="single" borderDimColor borderBottom={false} borderLeft={false} borderRight={false} />;
}
