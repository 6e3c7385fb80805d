import type { GateResult, Catalog, LessonMeta } from '../lessons/index.js';
import type { LessonProgress } from '../progress/index.js';
import type { ListDocument, VerifyDocument } from '../report/index.js';
import type { FileWatcher, VerifyOptions } from '../workbook/index.js';
import type { SystemRoot } from '../system/index.js';
import type { CgroupStatsReader } from './cgroup-stats.js';

/**
 * The part of the Workbook the TUI uses. `Workbook` satisfies it as is; tests pass a fake with locked lessons
 * and checks they control.
 */
export interface WorkbookApi {
  readonly catalog: Catalog;
  readonly workspace: string;
  readonly env: { readonly environment: { readonly summary: string } };
  /** Where the live cgroup panel reads the machine (the TUI reads nothing else of it). */
  readonly system: SystemRoot;
  /** progress.json: the TUI watches it to show what another terminal recorded. */
  readonly progressFile: string;
  list(): ListDocument;
  /** A lesson's answers, hints shown and last verify; undefined before the learner did anything there. */
  lessonProgress(lesson: LessonMeta): LessonProgress | undefined;
  /** The lesson the learner is on (the last one opened, verified, answered…), if it is still in the course. */
  lastLesson(): LessonMeta | undefined;
  /** The lesson's Markdown body (front matter removed). */
  lessonText(lesson: LessonMeta): string;
  /** Makes `lesson` the one the learner is on, for the next start. */
  opened(lesson: LessonMeta): Promise<void>;
  gate(lesson: LessonMeta): GateResult;
  /** The lesson is locked here, and only for what a lab VM (`isolab vm`) gives: it runs there. */
  labVmLifts(lesson: LessonMeta): boolean;
  verify(lesson: LessonMeta, options?: VerifyOptions): Promise<VerifyDocument>;
  start(lesson: LessonMeta): Promise<void>;
  answer(lesson: LessonMeta, key: string, value: string): Promise<LessonProgress>;
  hint(lesson: LessonMeta): Promise<{ shown: string[]; total: number; fromLastVerify: string | undefined }>;
  /** Removes what the lesson (and the learner following it) made on the machine; progress is kept. */
  cleanup(lesson: LessonMeta): Promise<void>;
}

/** What needs the real terminal to itself: the TUI steps aside, runs it, and comes back. */
export interface TerminalControl {
  /** Prints commands as plain text outside the TUI (so the terminal can select them), waits for Enter. */
  showCommands(title: string, commands: readonly string[]): Promise<void>;
  /** The learner's $SHELL in `cwd`; resolves when it exits. */
  openShell(cwd: string): Promise<{ shell: string; code: number | null }>;
  /** `isolab vm <lesson>`: the workbook at that lesson inside a lab VM; resolves when the VM is gone. */
  openLabVm(lessonId: string): Promise<{ code: number | null }>;
  /** False while the TUI has stepped aside: input hooks let go of the terminal. */
  subscribe(listener: () => void): () => void;
  isActive(): boolean;
}

export type { FileWatcher } from '../workbook/index.js';

export interface TuiServices {
  workbook: WorkbookApi;
  terminal: TerminalControl;
  cgroupReader: CgroupStatsReader;
  watchFiles: FileWatcher;
}
