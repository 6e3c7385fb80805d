import { Text } from 'ink';
import type { ReactElement } from 'react';
import type { StyledLine } from './spans.js';

/** One line of styled spans. Lines are already wrapped to the width, so ink must not wrap them again. */
export function renderLine(spans: StyledLine, key?: string): ReactElement {
  return (
    <Text key={key} wrap="truncate-end">
      {spans.length === 0
        ? ' '
        : spans.map((span, index) => (
            <Text
              key={index}
              bold={span.bold}
              italic={span.italic}
              underline={span.underline}
              strikethrough={span.strikethrough}
              dimColor={span.dim}
              color={span.color}
            >
              {span.text}
            </Text>
          ))}
    </Text>
  );
}
