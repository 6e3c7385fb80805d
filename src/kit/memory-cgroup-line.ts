/**
 * The line of a /proc/<pid>/cgroup text that places the process for memory: `0::/isolab/side` where memory lives in
 * the v2 hierarchy, else the v1 line whose controller list names memory (`7:memory:/isolab/side`, or
 * `4:cpu,memory:/…` where controllers share a hierarchy). Its hierarchy id is the machine's own.
 */
export function memoryCgroupLine(text: string, memoryOnV2: boolean): string | undefined {
  const lines = text.trim().split('\n');
  return memoryOnV2 ? lines.find((line) => line.startsWith('0::')) : lines.find((line) => /^\d+:([^:]*,)?memory(,[^:]*)?:/.test(line));
}
