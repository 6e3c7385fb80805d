import { setTimeout as sleep } from 'node:timers/promises';
import type { LessonMeta } from '../lessons/index.js';
import type { SystemRoot } from '../system/index.js';
import { withCheckoutMark } from '../lab/index.js';
import { ProcessGroups } from '../exec/index.js';
import { CheckFailed } from './check-failed.js';
import type { Check, CheckContext, CheckResult, Checker, SolutionContext } from './types.js';

export const defaultCheckTimeoutMs = 20_000;

export interface RunOptions {
  lesson: LessonMeta;
  system: SystemRoot;
  answers: Readonly<Record<string, string>>;
  workspace: string;
  /**
   * Cancels the run (watch: a newer change, or a verify asked for by hand): the running check's process groups
   * are killed, its own clean-up is given a moment, and `runChecks` rejects with the signal's AbortError.
   */
  signal?: AbortSignal;
  /** Called before each check starts and after it ends, for live rendering. */
  onCheckStart?: (check: Check) => void;
  onCheckEnd?: (result: CheckResult) => void;
}

/** Runs a checker's checks one after another; a crash or timeout in one is an `error` and the rest still run. */
export async function runChecks(checker: Checker, options: RunOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checker.checks) {
    options.signal?.throwIfAborted();
    options.onCheckStart?.(check);
    const result = await runOne(check, options);
    options.onCheckEnd?.(result);
    results.push(result);
  }
  return results;
}

async function runOne(check: Check, options: RunOptions): Promise<CheckResult> {
  const started = performance.now();
  const timeoutMs = check.timeoutMs ?? defaultCheckTimeoutMs;
  const base = { id: check.id, title: check.title };
  const outcome = await withLabContext(options, timeoutMs, async (context) => {
    try {
      return { kind: 'done' as const, value: await check.run(context) };
    } catch (error) {
      if (error instanceof CheckFailed) return { kind: 'done' as const, value: error.outcome };
      return { kind: 'crashed' as const, error };
    }
  });
  const durationMs = Math.round(performance.now() - started);
  if (outcome === timedOut) {
    return {
      ...base,
      status: 'error',
      message: `the check did not finish within ${timeoutMs / 1000} s and was stopped`,
      observed: null,
      hint: 'Something may be waiting forever (a process that never exits?). Run `isolab clean` and try again.',
      durationMs,
    };
  }
  if (outcome.kind === 'crashed') {
    return {
      ...base,
      status: 'error',
      message: `the check itself failed: ${describe(outcome.error)}`,
      observed: null,
      hint: null,
      durationMs,
    };
  }
  const { pass, message, observed, hint } = outcome.value;
  return {
    ...base,
    status: pass ? 'pass' : 'fail',
    message,
    observed: observed ?? null,
    hint: pass ? null : (hint ?? null),
    durationMs,
  };
}

const timedOut = Symbol('timed out');
const cancelled = Symbol('cancelled');
/**
 * How long a cancelled check is given to finish its own clean-up (its `finally` blocks) once its processes are
 * killed. A check that starts marked processes and the re-run that starts them again must not overlap.
 */
const cancelSettleMs = 2_000;

/**
 * Gives `work` a context whose processes all die with it: on timeout or cancellation the context's signal
 * aborts and every process group it started is killed, and whatever it left running is killed when it returns.
 * What it leaves running on purpose (a lab process) carries ISOLAB_CHECKOUT, the workspace it was started for.
 * A cancelled run rejects with `options.signal`'s reason, once the work has settled (or `cancelSettleMs` passed).
 */
export async function withLabContext<T>(
  options: Pick<RunOptions, 'lesson' | 'system' | 'answers' | 'workspace' | 'signal'>,
  timeoutMs: number,
  work: (context: CheckContext) => Promise<T>,
): Promise<T | typeof timedOut> {
  options.signal?.throwIfAborted();
  const groups = new ProcessGroups();
  const controller = new AbortController();
  const context: CheckContext = {
    lesson: options.lesson,
    system: options.system,
    answers: options.answers,
    workspace: options.workspace,
    signal: controller.signal,
    exec: (command, args, execOptions) => groups.exec(command, args, execOptions),
  };
  let timer: NodeJS.Timeout | undefined;
  let onCancel: (() => void) | undefined;
  const stopped = new Promise<typeof timedOut | typeof cancelled>((resolve) => {
    timer = setTimeout(() => resolve(timedOut), timeoutMs);
    onCancel = () => resolve(cancelled);
    options.signal?.addEventListener('abort', onCancel, { once: true });
  });
  const running = withCheckoutMark(options.workspace, () => work(context));
  try {
    const result = await Promise.race([running, stopped]);
    if (result !== timedOut && result !== cancelled) return result;
    controller.abort();
    groups.killAll();
    if (result === cancelled) {
      await Promise.race([running.catch(() => undefined), sleep(cancelSettleMs, undefined, { ref: false })]);
      options.signal!.throwIfAborted();
    }
    return timedOut;
  } finally {
    clearTimeout(timer);
    if (onCancel) options.signal?.removeEventListener('abort', onCancel);
    groups.killAll();
  }
}

export { timedOut };

/** Runs a lesson step that is not a check (setup, cleanup, solution) under the same process-group rules. */
export async function runLessonStep(
  name: 'setup' | 'cleanup' | 'solution' | 'shortcut',
  step: ((context: SolutionContext) => Promise<void>) | undefined,
  options: Pick<RunOptions, 'lesson' | 'system' | 'answers' | 'workspace'> & {
    answer?: SolutionContext['answer'];
    timeoutMs?: number;
  },
): Promise<void> {
  if (!step) return;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const result = await withLabContext(options, timeoutMs, (context) =>
    step({
      ...context,
      answer: options.answer ?? (() => Promise.reject(new Error(`${name} cannot record answers`))),
    }),
  );
  if (result === timedOut) throw new Error(`the lesson's ${name} did not finish within ${timeoutMs / 1000} s`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
