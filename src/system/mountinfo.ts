import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MountEntry {
  /** Field 4: the root of the mount within its filesystem. */
  root: string;
  /** Field 5: where it is mounted. */
  mountPoint: string;
  options: string[];
  fsType: string;
  source: string;
  superOptions: string[];
}

/** Parses `/proc/<pid>/mountinfo` (proc(5)); the optional fields end at a lone `-`. */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-');
    // Mount points are absolute; anything else is not a mountinfo line.
    if (separator < 6 || fields.length < separator + 3 || !fields[4]!.startsWith('/')) continue;
    entries.push({
      root: unescapeOctal(fields[3]!),
      mountPoint: unescapeOctal(fields[4]!),
      options: fields[5]!.split(','),
      fsType: fields[separator + 1]!,
      source: unescapeOctal(fields[separator + 2]!),
      superOptions: (fields[separator + 3] ?? '').split(','),
    });
  }
  return entries;
}

export function readMountInfo(proc: string): MountEntry[] {
  try {
    return parseMountInfo(readFileSync(join(proc, 'self/mountinfo'), 'utf8'));
  } catch {
    return [];
  }
}

// mountinfo escapes space, tab, newline and backslash as \ooo.
function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
