import type { LessonMeta } from '../lessons/index.js';
import type { SystemRoot } from '../system/index.js';
import type { ExecOptions, ExecResult } from '../exec/index.js';

/** `observe`: cheap and read-only. `experiment`: runs a workload. Verify and watch both run every check. */
export type CheckTag = 'observe' | 'experiment';
export type CheckStatus = 'pass' | 'fail' | 'error';

/** What a check saw: a short sentence, and the values it read, kept as evidence for a pass. */
export interface CheckOutcome {
  pass: boolean;
  message: string;
  observed?: Record<string, unknown>;
  /** What to try next, computed from what was observed (failures only). */
  hint?: string;
}

export interface CheckContext {
  lesson: LessonMeta;
  system: SystemRoot;
  /** The learner's recorded live-quiz answers for this lesson. */
  answers: Readonly<Record<string, string>>;
  /** Runs a program in its own process group; the group is killed on timeout or when the check ends. */
  exec(command: string, args?: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Aborted when the check times out or its run is cancelled. */
  signal: AbortSignal;
  /** The learner's checkout (where exercises/ lives). */
  workspace: string;
}

/** The context a solution runs in: it may also record answers, as a learner does with `isolab answer`. */
export interface SolutionContext extends CheckContext {
  answer(key: string, value: string): Promise<void>;
}

export interface Check {
  id: string;
  title: string;
  tag: CheckTag;
  timeoutMs?: number;
  run(context: CheckContext): Promise<CheckOutcome>;
}

/** One lesson's checker module: `checkers/<nn>-<track>/<nn>-<slug>.ts`. */
export interface Checker {
  checks: readonly Check[];
  /** Run by `isolab start`: prepares (or, for scenarios, breaks) the lab. */
  setup?(context: CheckContext): Promise<void>;
  /** Removes everything the lesson and its solution made. */
  cleanup?(context: CheckContext): Promise<void>;
  /** What a learner would do, applied for real by the lesson self-test. */
  solution?(context: SolutionContext): Promise<void>;
  /** Ways to look done without doing the lesson's work; the self-test proves each leaves its checks failing. */
  shortcuts?: readonly Shortcut[];
}

/**
 * Something a learner might do instead of the work (run `isolab clean`, hard-code a number, copy an answer from
 * the text). The self-test applies it after `isolab start` and requires every check in `fails` to fail.
 */
export interface Shortcut {
  /** What the learner did, in words: it names the self-test case. */
  name: string;
  /** The ids of the checks that must fail afterwards. */
  fails: readonly string[];
  apply(context: SolutionContext): Promise<void>;
}

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  message: string;
  observed: Record<string, unknown> | null;
  hint: string | null;
  durationMs: number;
}

export function defineChecker(checker: Checker): Checker {
  return checker;
}
