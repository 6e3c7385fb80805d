// Lesson 2.3, solved.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupDir, writeCgroupFile } from './cgroupfs.js';
import { ToolError } from './errors.js';

const units: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

export function parseSize(text: string): number | 'max' {
  if (text === 'max') return 'max';
  const match = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(text.trim());
  if (!match) throw new ToolError(`"${text}" is not a size (50M, 1.5G, 512K, max)`, 2);
  const bytes = Math.floor(Number(match[1]) * units[match[2]!.toUpperCase()]!);
  if (bytes <= 0) throw new ToolError(`"${text}" leaves no memory at all`, 2);
  return bytes;
}

export function setMemoryMax(name: string, size: string): void {
  const bytes = parseSize(size);
  try {
    writeCgroupFile(join(cgroupDir(name), 'memory.max'), String(bytes));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ToolError(`${name} has no memory.max: the memory controller is not enabled in its parent's cgroup.subtree_control`);
    }
    throw error;
  }
}

export function memoryStats(name: string) {
  const dir = cgroupDir(name);
  const read = (file: string) => readFileSync(join(dir, file), 'utf8').trim();
  const events = Object.fromEntries(read('memory.events').split('\n').map((line) => line.split(' ')));
  const max = read('memory.max');
  return { current: Number(read('memory.current')), max: max === 'max' ? ('max' as const) : Number(max), oomKills: Number(events.oom_kill ?? 0) };
}
