import { Box, Text } from 'ink';
import { formatBytes, type CgroupStats, type CgroupStatsReader } from '../cgroup-stats.js';
import { useCgroupStats } from '../hooks/use-cgroup-stats.js';
import { useTheme } from '../theme.js';

/** The lesson's lab cgroup, live: memory against its limit, CPU throttling, processes against their limit. */
export function CgroupPanel({ path, reader, compact = false, intervalMs }: { path: string; reader: CgroupStatsReader; compact?: boolean; intervalMs?: number }) {
  const stats = useCgroupStats(path, reader, intervalMs);
  const lines = describe(stats);
  if (compact) {
    return (
      <Text wrap="truncate-end">
        <Text bold>{`cgroup ${path}`}</Text>
        {` · ${lines.map((line) => `${line.label} ${line.value}`).join(' · ')}`}
      </Text>
    );
  }
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Text bold wrap="truncate-end">{`cgroup ${path}`}</Text>
      {lines.map((line) => (
        <Box key={line.label} flexDirection="row">
          <Box width={8} flexShrink={0}>
            <Text dimColor>{line.label}</Text>
          </Box>
          <Text wrap="truncate-end">{line.value}</Text>
        </Box>
      ))}
      {stats && <UsageBar current={stats.memoryCurrent} max={stats.memoryMax} />}
    </Box>
  );
}

function UsageBar({ current, max }: { current: number | null; max: number | 'max' | null }) {
  const { glyphs, color } = useTheme();
  if (current === null || typeof max !== 'number' || max === 0) return null;
  const width = 20;
  const filled = Math.min(width, Math.round((current / max) * width));
  return (
    <Text>
      <Text dimColor>{'memory  '}</Text>
      <Text color={color ? (filled >= width * 0.9 ? 'red' : 'green') : undefined}>{glyphs.barFull.repeat(filled)}</Text>
      <Text dimColor>{glyphs.barEmpty.repeat(width - filled)}</Text>
      {` ${Math.round((current / max) * 100)}%`}
    </Text>
  );
}

function describe(stats: CgroupStats | undefined): { label: string; value: string }[] {
  if (!stats) return [{ label: 'reading', value: '…' }];
  const missing = 'not there';
  const limit = (value: number | 'max' | null, format: (n: number) => string) =>
    value === null ? '' : value === 'max' ? ' of no limit' : ` of ${format(value)}`;
  return [
    {
      label: 'memory',
      value: stats.memoryCurrent === null ? missing : `${formatBytes(stats.memoryCurrent)}${limit(stats.memoryMax, formatBytes)}`,
    },
    { label: 'cpu', value: stats.cpuThrottled === null ? missing : `throttled ${stats.cpuThrottled} times` },
    { label: 'pids', value: stats.pidsCurrent === null ? missing : `${stats.pidsCurrent}${limit(stats.pidsMax, String)}` },
  ];
}
