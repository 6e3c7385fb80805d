import { failCheck } from '../verify/index.js';
import { parseJsonObject } from './answers.js';
import type { LearnerProgram } from './learner-program.js';

/** A count the learner's program prints as JSON, compared with the kernel's own. */
export interface ReportedFigure {
  /** The command that prints the JSON: `['stats', 'isolab/my-cpu']`. */
  args: readonly string[];
  /** Where the figure lies in that JSON: `cpu.throttled`. */
  path: string;
  /** What is left to write when the run still throws a TODO: `cpuStats in exercises/my-cgroup-tool/cpu.ts`. */
  write: string;
  /** Reads the kernel's count; read once before the run and once after it. */
  kernel: () => number;
  /** What the kernel counts, for the message: `throttled periods`. */
  counts: string;
  hint: string;
}

/** The number at a dotted path (`cpu.throttled`) of a JSON object's text; undefined if absent or not a number. */
export function jsonNumberAt(text: string, path: string): number | undefined {
  let value: unknown = parseJsonObject(text);
  for (const key of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === 'number' ? value : undefined;
}

/**
 * Runs the learner's program and returns the figure it reports. The check fails, saying both figures, unless it
 * lies between the kernel's count before the run and after it: a count the kernel may still raise while the
 * program runs (the last throttled period being accounted) cannot be asked to match one read exactly.
 */
export async function mustReportKernelFigure(program: LearnerProgram, figure: ReportedFigure): Promise<number> {
  const before = figure.kernel();
  const result = await program.mustRun(figure.args, figure.write);
  const after = figure.kernel();
  const reported = jsonNumberAt(result.stdout, figure.path);
  if (reported === undefined || reported < before || reported > after) {
    const kernel = before === after ? `${before}` : `${before} to ${after}`;
    failCheck({
      message: `the kernel counts ${kernel} ${figure.counts}; ${figure.args[0]} says ${figure.path} is ${reported ?? `missing (it printed ${result.stdout.trim().slice(0, 200) || 'nothing'})`}`,
      hint: figure.hint,
      observed: { kernelBefore: before, kernelAfter: after, reported: reported ?? null },
    });
  }
  return reported;
}
