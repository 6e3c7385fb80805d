import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readText, type SystemRoot } from '../system/index.js';

/** The running kernel's build configuration, as far as a readable copy of it goes. */
export interface KernelConfig {
  /** Where it was read, as a path on the machine: /proc/config.gz or /boot/config-<release>. */
  source: string;
  /** `CONFIG_<NAME>` → its value (`y`, `m`, a string without its quotes); an option not set is absent. */
  values: ReadonlyMap<string, string>;
}

/**
 * /proc/config.gz is the running kernel's own (CONFIG_IKCONFIG_PROC); /boot/config-<release> is what the
 * distribution installed beside that release. Any other file in /boot belongs to another kernel and says nothing
 * about this one. Gunzipping loads node:zlib, which only a caller that needs the config pays for.
 */
export async function readKernelConfig(system: SystemRoot, release: string, names?: readonly string[]): Promise<KernelConfig | null> {
  const packed = readBytes(join(system.proc, 'config.gz'));
  if (packed) {
    const text = await gunzipText(packed);
    if (text !== undefined) return { source: '/proc/config.gz', values: parseKernelConfig(text, names) };
  }
  const boot = `/boot/config-${release}`;
  const text = release === 'unknown' ? undefined : readText(join(system.root, boot));
  return text === undefined ? null : { source: boot, values: parseKernelConfig(text, names) };
}

/**
 * `CONFIG_X=y` and `CONFIG_X="text"` lines; `# CONFIG_X is not set` and comments leave X absent. `names`: keep only
 * these (one pass for a handful instead of a map of the config's thousands).
 */
export function parseKernelConfig(text: string, names?: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  // Option names are word characters only: safe in a pattern as they are.
  const name = names ? `(${names.join('|')})` : '(CONFIG_\\w+)';
  for (const match of text.matchAll(new RegExp(`^${name}=(.*)$`, 'gm'))) {
    const value = match[2]!.trim();
    values.set(match[1]!, value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);
  }
  return values;
}

function readBytes(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

async function gunzipText(packed: Buffer): Promise<string | undefined> {
  const { gunzipSync } = await import('node:zlib');
  try {
    return gunzipSync(packed).toString('utf8');
  } catch {
    // A truncated or foreign file is no config.
    return undefined;
  }
}
