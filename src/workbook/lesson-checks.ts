import { basename, dirname, join } from 'node:path';
import type { LessonMeta } from '../lessons/index.js';
import type { VerifyDocument } from '../report/index.js';
import type { Check, CheckResult } from '../verify/index.js';
import { watchFiles as fsWatchFiles, type FileWatcher } from './file-watcher.js';
import type { VerifyOptions } from './workbook.js';

/** `verify`: asked for (v), every run recorded. `watch`: re-run as the learner works; only a pass is recorded. */
export type RunSource = 'verify' | 'watch';
/** Why a run started: asked for, watch turned on, an exercise file changed, or the poll of a state lesson. */
export type RunReason = 'verify' | 'start' | 'change' | 'poll';

/** What a run reports, as it happens. Nothing is reported for a run once it is cancelled, except `cancel`. */
export interface RunListener {
  start?(source: RunSource, reason: RunReason): void;
  checkStart?(check: Check): void;
  checkEnd?(result: CheckResult): void;
  finish?(document: VerifyDocument, source: RunSource, reason: RunReason): void;
  /** The run was cancelled: by a newer change, by a verify, or because watch was turned off. */
  cancel?(source: RunSource): void;
  /** The run could not complete (the checker failed to load, the progress file could not be written…). */
  crash?(error: unknown, source: RunSource): void;
}

export interface LessonChecksOptions {
  lesson: LessonMeta;
  /** The checkout the lesson's exercise files are in. */
  workspace: string;
  /** `Workbook.verify` (the TUI passes its view of the workbook; tests a fake). */
  verify(lesson: LessonMeta, options: VerifyOptions): Promise<VerifyDocument>;
  listener: RunListener;
  watchFiles?: FileWatcher;
  debounceMs?: number;
  pollMs?: number;
}

/** Editors write a file in several steps: one run per burst of changes. */
export const watchDebounceMs = 300;
/** A state lesson's work is kernel state, which no file event announces: its checks re-run this long after the last run. */
export const watchPollMs = 2_000;

export interface WatchPlan {
  /** Absolute paths of the lesson's exercise files; a change to one re-runs the checks. */
  files: string[];
  /** Whether the checks also re-run every `watchPollMs` while idle. */
  polls: boolean;
  /** For the learner: what makes the checks run again. */
  describe: string;
}

/**
 * A code lesson's checks compile and run the learner's program (seconds, real workloads): they re-run when its
 * files change. Every other lesson is checked against the kernel, which changes without a file event: polled.
 */
export function watchPlan(lesson: LessonMeta, workspace: string): WatchPlan {
  const files = lesson.exercises.map((file) => join(workspace, file));
  const polls = lesson.kind !== 'code' || files.length === 0;
  const describe = polls ? `every check re-runs every ${watchPollMs / 1000} s` : `every check re-runs when ${fileList(lesson.exercises)} changes`;
  return { files, polls, describe };
}

/** `exercises/x/main.ts or report.ts`: files in the same directory as the first are named by their name alone. */
function fileList(files: readonly string[]): string {
  const dir = dirname(files[0]!);
  const names = files.map((file, index) => (index > 0 && dirname(file) === dir ? basename(file) : file));
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

interface Run {
  source: RunSource;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * One lesson's check runs, for the workbook's lesson view and `isolab watch`: one run at a time. A newer watch
 * trigger cancels a watch run in progress and starts again; a verify cancels a watch run and runs at once; a
 * verify is never cancelled by watch (a change during it runs after it).
 */
export class LessonChecks {
  private readonly plan: WatchPlan;
  private current: Run | undefined;
  private pending: { source: RunSource; reason: RunReason } | undefined;
  private watching = false;
  private disposed = false;
  private stopFiles: (() => void) | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;

  constructor(private readonly options: LessonChecksOptions) {
    this.plan = watchPlan(options.lesson, options.workspace);
  }

  /** Runs every check now and records the result. False (and nothing done) while a verify is already running. */
  verify(): boolean {
    if (this.disposed || this.current?.source === 'verify' || this.pending?.source === 'verify') return false;
    this.request('verify', 'verify');
    return true;
  }

  /** Turns watch on (a run starts at once) or off (a watch run in progress is cancelled). */
  watch(on: boolean): void {
    if (this.disposed || on === this.watching) return;
    this.watching = on;
    if (on) {
      const watchFiles = this.options.watchFiles ?? fsWatchFiles;
      this.stopFiles = this.plan.files.length > 0 ? watchFiles(this.plan.files, () => this.changed()) : undefined;
      this.request('watch', 'start');
      return;
    }
    this.stopFiles?.();
    this.stopFiles = undefined;
    clearTimeout(this.debounce);
    clearTimeout(this.poll);
    if (this.pending?.source === 'watch') this.pending = undefined;
    if (this.current?.source === 'watch') this.current.controller.abort();
  }

  /**
   * Stops for good: watch off, its run cancelled; a verify in progress finishes (it records what the learner
   * asked for). Resolves when no run is left, its processes killed.
   */
  async dispose(): Promise<void> {
    this.watch(false);
    this.disposed = true;
    this.pending = undefined;
    await this.current?.done;
  }

  private changed(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.request('watch', 'change'), this.options.debounceMs ?? watchDebounceMs);
  }

  private request(source: RunSource, reason: RunReason): void {
    clearTimeout(this.poll);
    if (!this.current) return this.begin(source, reason);
    if (this.pending?.source !== 'verify') this.pending = { source, reason };
    if (this.current.source === 'watch') this.current.controller.abort();
  }

  private begin(source: RunSource, reason: RunReason): void {
    const run: Run = { source, controller: new AbortController(), done: Promise.resolve() };
    this.current = run;
    run.done = this.execute(run, reason).finally(() => {
      this.current = undefined;
      const next = this.pending;
      this.pending = undefined;
      if (next && !this.disposed) this.begin(next.source, next.reason);
      else if (this.watching && this.plan.polls) this.poll = setTimeout(() => this.request('watch', 'poll'), this.options.pollMs ?? watchPollMs);
    });
  }

  private async execute({ source, controller: { signal } }: Run, reason: RunReason): Promise<void> {
    const { listener, lesson } = this.options;
    listener.start?.(source, reason);
    try {
      const document = await this.options.verify(lesson, {
        record: source === 'verify' ? 'always' : 'pass',
        signal,
        onCheckStart: (check) => signal.aborted || listener.checkStart?.(check),
        onCheckEnd: (result) => signal.aborted || listener.checkEnd?.(result),
      });
      listener.finish?.(document, source, reason);
    } catch (error) {
      if (signal.aborted) listener.cancel?.(source);
      else listener.crash?.(error, source);
    }
  }
}
