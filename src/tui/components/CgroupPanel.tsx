import { Box, Text } from 'ink';
import { formatBytes } from '../../cgroup/index.js';
import type { CgroupReading, CgroupStatsReader } from '../cgroup-stats.js';
import { useCgroupStats } from '../hooks/use-cgroup-stats.js';
import { useTheme } from '../theme.js';

/**
 * The lesson's lab cgroup, live: memory against its limit, CPU throttling, processes against their limit, read
 * as `cgroup-tool stats` reads them (v1 hierarchies or the v2 tree, whichever the machine has).
 */
export function CgroupPanel({ path, reader, compact = false, intervalMs }: { path: string; reader: CgroupStatsReader; compact?: boolean; intervalMs?: number }) {
  const reading = useCgroupStats(path, reader, intervalMs);
  const title = `cgroup ${path}${reading?.state === 'present' ? ` (${reading.stats.version})` : ''}`;
  const lines = describe(reading);
  if (compact) {
    return (
      <Text wrap="truncate-end">
        <Text bold>{title}</Text>
        {` · ${lines.map((line) => (line.label ? `${line.label} ${line.value}` : line.value)).join(' · ')}`}
      </Text>
    );
  }
  const memory = reading?.state === 'present' ? reading.stats.memory : null;
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Text bold wrap="truncate-end">
        {title}
      </Text>
      {lines.map((line) => (
        <Box key={line.label || line.value} flexDirection="row">
          <Box width={line.label ? 8 : 0} flexShrink={0}>
            <Text dimColor>{line.label}</Text>
          </Box>
          <Text wrap={line.label ? 'truncate-end' : 'wrap'}>{line.value}</Text>
        </Box>
      ))}
      {memory && <UsageBar current={memory.current} max={memory.max} />}
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

/** A line per controller; a controller the cgroup does not have says so rather than showing zeros. */
function describe(reading: CgroupReading | undefined): { label: string; value: string }[] {
  if (!reading) return [{ label: 'reading', value: '…' }];
  if (reading.state === 'absent') return [{ label: '', value: 'not created yet' }];
  if (reading.state === 'unreadable') return [{ label: '', value: `cannot be read: ${reading.reason}` }];
  const { memory, cpu, pids } = reading.stats;
  const off = 'controller not enabled';
  const of = (max: number | 'max' | null, format: (n: number) => string) => (max === null ? '' : max === 'max' ? ' of no limit' : ` of ${format(max)}`);
  return [
    { label: 'memory', value: memory && memory.current !== null ? `${formatBytes(memory.current)}${of(memory.max, formatBytes)}` : off },
    { label: 'cpu', value: cpu && cpu.throttled !== null ? `throttled ${cpu.throttled} times` : off },
    { label: 'pids', value: pids && pids.current !== null ? `${pids.current}${of(pids.max, String)}` : off },
  ];
}
