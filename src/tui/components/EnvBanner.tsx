import { Text } from 'ink';
import { useTheme } from '../theme.js';

/** The environment in one line (env.environment.summary), e.g. "VM (firecracker) · cgroup hybrid (v1 limits) · root". */
export function EnvBanner({ summary }: { summary: string }) {
  const { color } = useTheme();
  return (
    <Text wrap="truncate-end">
      <Text bold color={color ? 'magentaBright' : undefined}>
        isolab
      </Text>
      <Text dimColor> · </Text>
      {summary}
    </Text>
  );
}
