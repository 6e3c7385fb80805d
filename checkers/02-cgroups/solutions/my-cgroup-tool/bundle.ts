// Lesson 2.7, solved.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupDir } from './cgroupfs.js';
import { parseCpuMax, setCpuMax } from './cpu.js';
import { ToolError } from './errors.js';
import { parseSize, setMemoryMax } from './memory.js';
import { setPidsMax } from './pids.js';

const appliers: Record<string, { check: (value: string) => unknown; apply: (name: string, value: string) => void }> = {
  'memory.max': { check: parseSize, apply: setMemoryMax },
  'cpu.max': { check: parseCpuMax, apply: setCpuMax },
  'pids.max': { check: (value) => value === 'max' || /^(0|[1-9]\d*)$/.test(value) || (() => { throw new ToolError(`"${value}" is not a number of processes`, 2); })(), apply: setPidsMax },
};

export function applyBundle(name: string, assignments: string[]): void {
  if (assignments.length === 0) throw new ToolError('give at least one key=value (memory.max=64M cpu.max=50% pids.max=20)', 2);
  const parsed = assignments.map((assignment) => {
    const [key = '', value = ''] = assignment.split('=');
    const applier = appliers[key];
    if (!applier) throw new ToolError(`unknown limit "${key}" (memory.max, cpu.max, pids.max)`, 2);
    applier.check(value);
    return { applier, value };
  });
  for (const { applier, value } of parsed) applier.apply(name, value);
}

export function pressureStats(name: string): Record<string, number> {
  const pressure: Record<string, number> = {};
  for (const resource of ['memory', 'cpu', 'io']) {
    try {
      const text = readFileSync(join(cgroupDir(name), `${resource}.pressure`), 'utf8');
      pressure[resource] = Number(/^some avg10=([\d.]+)/m.exec(text)?.[1] ?? 0);
    } catch {
      // No PSI for this resource on this kernel.
    }
  }
  return pressure;
}
