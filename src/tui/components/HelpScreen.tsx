import { Box, Text } from 'ink';
import type { KeyHelp } from '../keys.js';
import { useTheme } from '../theme.js';

/** Every key of the current screen with what it does, and what the marks mean. */
export function HelpScreen({ sections }: { sections: readonly { title: string; keys: readonly KeyHelp[] }[] }) {
  const { glyphs } = useTheme();
  const width = Math.max(...sections.flatMap((section) => section.keys.map((key) => key.keys.length))) + 2;
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold>Keys</Text>
      {sections.map((section) => (
        <Box key={section.title} flexDirection="column" marginTop={1}>
          <Text bold>{section.title}</Text>
          {section.keys.map((key) => (
            <Box key={key.keys} flexDirection="row">
              <Box width={width} flexShrink={0}>
                <Text bold>{key.keys}</Text>
              </Box>
              <Text>{key.help}</Text>
            </Box>
          ))}
        </Box>
      ))}
      <Box marginTop={1} flexDirection="column">
        <Text bold>Marks</Text>
        <Text>Lessons: ✓ done · … in progress · · available · ✗ locked (the reason and the remedy are shown) · ★ fast path</Text>
        <Text>{'         ✓ done (last ✗): passed earlier, and still counted; the latest verify failed (v in the lesson says why)'}</Text>
        <Text>{`Steps: ${glyphs.pointer} the step you are reading · ✓ done · ✗ an answer the checks found wrong · ${glyphs.bullet} answered, not checked yet · · to do`}</Text>
        <Text>Checks: ✓ passed · ✗ failed (with what to try) · ! could not run</Text>
      </Box>
      <Box marginTop={1}>
        <Text dimColor>Any key closes this help; q quits.</Text>
      </Box>
    </Box>
  );
}
