import { Box, Text } from 'ink';
import type { KeyHelp } from '../keys.js';

// Back, help and quit are always on the footer; the others in order, as many as fit (help lists them all).
const always = new Set(['Esc', '?', 'q', 'Ctrl-C']);

/** The keys of the current screen, on one line. */
export function Footer({ keys, width }: { keys: readonly KeyHelp[]; width: number }) {
  const cost = (key: KeyHelp) => key.keys.length + 1 + key.label.length + 2;
  let budget = width - keys.filter((key) => always.has(key.keys)).reduce((sum, key) => sum + cost(key), 0);
  const shown = keys.filter((key) => {
    if (always.has(key.keys)) return true;
    if (cost(key) > budget) return false;
    budget -= cost(key);
    return true;
  });
  return (
    <Box>
      <Text wrap="truncate-end">
        {shown.map((key, index) => (
          <Text key={key.keys}>
            {index > 0 ? '  ' : ''}
            <Text bold>{key.keys}</Text> <Text dimColor>{key.label}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
