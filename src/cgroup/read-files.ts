import { readText } from '../system/index.js';

/** A cgroup file's text, or undefined when the kernel does not have it here (ENOENT). */
export const readControl = readText;

export function readNumber(path: string): number | null {
  const text = readControl(path)?.trim();
  return text === undefined || text === '' || !/^-?\d+$/.test(text) ? null : Number(text);
}

/** A number, or 'max' for "max" and for v1's "no limit" sentinels (≥ 2^62, or -1). */
export function readLimit(path: string): number | 'max' | null {
  const text = readControl(path)?.trim();
  if (text === undefined || text === '') return null;
  if (text === 'max' || text === '-1') return 'max';
  const value = Number(text);
  return value >= 2 ** 62 ? 'max' : value;
}

/** `key value` lines (memory.events, cpu.stat, pids.events, memory.oom_control). */
export function readKeyed(path: string): Record<string, number> {
  const entries: Record<string, number> = {};
  for (const line of (readControl(path) ?? '').split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) entries[key] = Number(value);
  }
  return entries;
}

export function readPids(path: string): number[] {
  return (readControl(path) ?? '').split('\n').filter(Boolean).map(Number);
}

/** PSI: `some avg10=0.00 avg60=… total=…` and `full …`. */
export function readPressure(path: string): { some10: number; full10: number | null } | null {
  const text = readControl(path);
  if (text === undefined) return null;
  const avg10 = (kind: string) => {
    const match = new RegExp(`^${kind} avg10=([\\d.]+)`, 'm').exec(text);
    return match ? Number(match[1]) : null;
  };
  return { some10: avg10('some') ?? 0, full10: avg10('full') };
}
