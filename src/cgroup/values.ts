import { usageError } from '../errors/index.js';

/** A limit as the v2 interface spells it; the v1 backend translates. */
export type LimitKey =
  | 'memory.max'
  | 'memory.high'
  | 'memory.low'
  | 'memory.swap.max'
  | 'cpu.max'
  | 'cpu.weight'
  | 'pids.max'
  | 'io.max';

export const limitKeys: readonly LimitKey[] = ['memory.max', 'memory.high', 'memory.low', 'memory.swap.max', 'cpu.max', 'cpu.weight', 'pids.max', 'io.max'];

export type Limit =
  | { key: 'memory.max' | 'memory.high' | 'memory.low' | 'memory.swap.max'; bytes: number | 'max' }
  | { key: 'cpu.max'; quotaUs: number | 'max'; periodUs: number }
  | { key: 'cpu.weight'; weight: number }
  | { key: 'pids.max'; pids: number | 'max' }
  | { key: 'io.max'; device: string; rbps?: number | 'max'; wbps?: number | 'max'; riops?: number | 'max'; wiops?: number | 'max' };

const units: Record<string, number> = { '': 1, B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
// Beyond this the kernel stores "max" anyway, and JavaScript numbers stop being exact.
const maxBytes = 2 ** 53 - 1;
const defaultPeriodUs = 100_000;

function bad(what: string, value: string, expected: string): never {
  throw usageError(`${what}: "${value}" is not a valid value`, `Expected ${expected}.`);
}

/** `50M`, `1.5G`, `64k`, `1048576`, `max` (binary units, as the kernel's own documentation uses). */
export function parseBytes(value: string, what = 'memory'): number | 'max' {
  const text = value.trim();
  if (text === 'max') return 'max';
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(text);
  if (!match) bad(what, value, 'a size like 50M, 1.5G, 512K, a number of bytes, or max');
  const bytes = Math.floor(Number(match[1]) * units[match[2]!.toUpperCase()]!);
  if (!Number.isFinite(bytes) || bytes > maxBytes) bad(what, value, `at most ${maxBytes} bytes (use max for no limit)`);
  if (bytes === 0 && what !== 'memory.low' && what !== 'memory.swap.max') bad(what, value, 'more than 0 (a zero limit leaves nothing to run with; use max for no limit)');
  return bytes;
}

/**
 * `50%` or `0.5` (CPUs: half of one CPU), `2` (two CPUs), `"20000 100000"` (quota and period in µs, as cpu.max),
 * or `max`.
 */
export function parseCpuMax(value: string): Extract<Limit, { key: 'cpu.max' }> {
  const text = value.trim();
  if (text === 'max') return { key: 'cpu.max', quotaUs: 'max', periodUs: defaultPeriodUs };
  const pair = /^(\d+|max)\s+(\d+)$/.exec(text);
  if (pair) {
    const periodUs = Number(pair[2]);
    if (periodUs < 1000 || periodUs > 1_000_000) bad('cpu.max', value, 'a period from 1000 to 1000000 µs');
    const quotaUs = pair[1] === 'max' ? 'max' : Number(pair[1]);
    if (quotaUs !== 'max' && quotaUs < 1000) bad('cpu.max', value, 'a quota of at least 1000 µs');
    return { key: 'cpu.max', quotaUs, periodUs };
  }
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  const cpus = percent ? Number(percent[1]) / 100 : /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(cpus)) bad('cpu.max', value, 'a share of CPU like 50% or 0.5 (CPUs), "quota period" in µs, or max');
  if (cpus <= 0) bad('cpu.max', value, 'more than 0 CPU (use max for no limit)');
  const quotaUs = Math.round(cpus * defaultPeriodUs);
  if (quotaUs < 1000) bad('cpu.max', value, 'at least 1% of a CPU (the kernel needs a quota of 1000 µs)');
  return { key: 'cpu.max', quotaUs, periodUs: defaultPeriodUs };
}

/** cpu.weight: 1–10000, 100 being the default share. */
export function parseCpuWeight(value: string): number {
  const weight = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || weight < 1 || weight > 10000) bad('cpu.weight', value, 'a whole number from 1 to 10000 (100 is the default)');
  return weight;
}

export function parsePids(value: string): number | 'max' {
  const text = value.trim();
  if (text === 'max') return 'max';
  // 0 is a limit (no new task may start); above PID_MAX_LIMIT (4194304) the kernel says EINVAL (kernel/cgroup/pids.c).
  if (!/^\d+$/.test(text) || Number(text) > 4194304) bad('pids.max', value, 'a whole number of processes from 0 to 4194304, or max');
  return Number(text);
}

/** `8:0 rbps=1M wbps=max riops=100` (device as major:minor, rates as sizes or counts). */
export function parseIoMax(value: string): Extract<Limit, { key: 'io.max' }> {
  const [device, ...settings] = value.trim().split(/\s+/);
  if (!device || !/^\d+:\d+$/.test(device)) bad('io.max', value, 'a device as major:minor (see lsblk or /proc/partitions), then rbps=, wbps=, riops=, wiops=');
  if (settings.length === 0) bad('io.max', value, 'at least one of rbps=, wbps=, riops=, wiops= after the device');
  const limit: Extract<Limit, { key: 'io.max' }> = { key: 'io.max', device };
  for (const setting of settings) {
    const [name, amount] = setting.split('=');
    if (name !== 'rbps' && name !== 'wbps' && name !== 'riops' && name !== 'wiops') bad('io.max', setting, 'rbps=, wbps=, riops= or wiops=');
    if (amount === undefined || amount === '') bad('io.max', setting, `a value after ${name}=`);
    if (name.endsWith('bps')) limit[name] = parseBytes(amount, 'io.max');
    else if (amount === 'max' || /^[1-9]\d*$/.test(amount)) limit[name] = amount === 'max' ? 'max' : Number(amount);
    else bad('io.max', setting, 'a whole number of operations per second, or max');
  }
  return limit;
}

/** `memory.max=50M` or the shorthand key forms the CLI accepts. */
export function parseLimit(key: string, value: string): Limit {
  switch (key) {
    case 'memory.max':
    case 'memory.high':
    case 'memory.low':
    case 'memory.swap.max':
      return { key, bytes: parseBytes(value, key) };
    case 'cpu.max':
      return parseCpuMax(value);
    case 'cpu.weight':
      return { key, weight: parseCpuWeight(value) };
    case 'pids.max':
      return { key, pids: parsePids(value) };
    case 'io.max':
      return parseIoMax(value);
    default:
      throw usageError(`unknown limit "${key}"`, `Limits are: ${limitKeys.join(', ')}.`);
  }
}

/** How a limit is written to its v2 file. */
export function v2Value(limit: Limit): string {
  switch (limit.key) {
    case 'cpu.max':
      return `${limit.quotaUs} ${limit.periodUs}`;
    case 'cpu.weight':
      return String(limit.weight);
    case 'pids.max':
      return String(limit.pids);
    case 'io.max':
      return [limit.device, ...(['rbps', 'wbps', 'riops', 'wiops'] as const).filter((name) => limit[name] !== undefined).map((name) => `${name}=${limit[name]}`)].join(' ');
    default:
      return String(limit.bytes);
  }
}

/** A size for people: 52428800 → "50.0 MiB". */
export function formatBytes(bytes: number | 'max' | null): string {
  if (bytes === null) return '-';
  if (bytes === 'max') return 'max';
  const steps = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let step = 0;
  while (value >= 1024 && step < steps.length - 1) {
    value /= 1024;
    step++;
  }
  return step === 0 ? `${value} B` : `${value.toFixed(1)} ${steps[step]}`;
}
