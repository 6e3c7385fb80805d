// Test doubles for the TUI: a workbook whose lessons, gates and checks the test decides, a terminal that
// records what it was asked to do, and the services around them. Used by the tests only.
import { Catalog, type GateResult, type LessonMeta } from '../../lessons/index.js';
import { emptyProgress, type LessonProgress, type Progress } from '../../progress/index.js';
import { documentVersion, overallStatus, type ListDocument, type VerifyDocument } from '../../report/index.js';
import type { CheckResult } from '../../verify/index.js';
import { hintsOf, lessonAfter, listEntry, recordEvent, type LessonEvent, type VerifyOptions } from '../../workbook/index.js';
import type { CgroupStatsReader } from '../cgroup-stats.js';
import type { FileWatcher, TerminalControl, TuiServices, WorkbookApi } from '../services.js';

export function lessonMeta(fields: Partial<LessonMeta> & Pick<LessonMeta, 'id' | 'short' | 'title'>): LessonMeta {
  const [track = 'track', slug = 'slug'] = fields.id.split('/');
  const [trackNumber = 0, number = 1] = fields.short.split('.').map(Number);
  return {
    minutes: 10,
    kind: 'state',
    requires: [],
    fastPath: false,
    exercises: [],
    hints: ['The first hint.', 'The second hint.'],
    questions: [],
    track,
    trackNumber,
    trackTitle: track[0]!.toUpperCase() + track.slice(1),
    number,
    slug,
    steps: [],
    file: `lessons/${fields.id}.md`,
    checker: `checkers/${fields.id}.ts`,
    next: null,
    ...fields,
  };
}

/** A check the fake runs: it starts, waits for `until` (if given), then ends with this result. */
export interface ScriptedCheck {
  result: Omit<CheckResult, 'durationMs' | 'observed' | 'hint' | 'message'> & { message?: string; hint?: string | null; observed?: CheckResult['observed'] };
  tag?: 'observe' | 'experiment';
  until?: Promise<void>;
}

/** Where the fake keeps progress: in memory, or a real progress file another process also writes. */
export interface ProgressFile {
  readonly file: string;
  read(): Progress;
  update(change: (progress: Progress) => void): Promise<Progress>;
}

/**
 * The workbook's operations over progress it keeps itself, recorded by the same status rules (`listEntry`,
 * `lessonAfter`) as the real one: `fake-workbook.test.ts` compares the two.
 */
export class FakeWorkbook implements WorkbookApi {
  readonly catalog: Catalog;
  readonly workspace = '/workspace';
  readonly env = { environment: { summary: 'VM (firecracker) · cgroup v2 · root' } };
  readonly system = { proc: '/proc', sys: '/sys', root: '/', env: {} };
  readonly calls: string[] = [];
  checks: Record<string, ScriptedCheck[]> = {};
  /** Each lesson's Markdown body; a stand-in text for the others. */
  texts: Record<string, string> = {};
  /** Whether `start` runs a setup, as a scenario's checker has. */
  hasSetup = (lesson: LessonMeta) => lesson.kind === 'scenario';
  /** Locked lessons a lab VM would run. */
  liftedByLabVm = new Set<string>();

  /** `store`: a real ProgressStore for tests where another process writes progress; in memory otherwise. */
  constructor(
    lessons: LessonMeta[],
    private readonly locked: Record<string, string[]> = {},
    private readonly store: ProgressFile = new MemoryStore(),
  ) {
    this.catalog = new Catalog(lessons);
  }

  get progressFile(): string {
    return this.store.file;
  }

  lessonProgress(lesson: LessonMeta): LessonProgress | undefined {
    return this.store.read().lessons[lesson.id];
  }

  lastLesson(): LessonMeta | undefined {
    const id = this.store.read().lastLesson;
    return id === undefined ? undefined : this.catalog.get(id);
  }

  lessonText(lesson: LessonMeta): string {
    return this.texts[lesson.id] ?? `# ${lesson.title}\n\nNo text.\n`;
  }

  async opened(lesson: LessonMeta): Promise<void> {
    await this.store.update((progress) => void (progress.lastLesson = lesson.id));
  }

  gate(lesson: LessonMeta): GateResult {
    const reasons = this.locked[lesson.id] ?? [];
    return { available: reasons.length === 0, reasons };
  }

  labVmLifts(lesson: LessonMeta): boolean {
    return !this.gate(lesson).available && this.liftedByLabVm.has(lesson.id);
  }

  list(): ListDocument {
    return {
      version: documentVersion as 1,
      lessons: this.catalog.lessons.map((lesson) => listEntry(lesson, this.lessonProgress(lesson), this.gate(lesson))),
    };
  }

  async verify(lesson: LessonMeta, options: VerifyOptions = {}): Promise<VerifyDocument> {
    const record = options.record ?? 'always';
    this.calls.push(`verify ${lesson.id}${record === 'always' ? '' : ` record:${record}`}`);
    const base = {
      version: documentVersion as 1,
      isolab: '0.0.0',
      lesson: lesson.id,
      short: lesson.short,
      title: lesson.title,
      startedAt: new Date(0).toISOString(),
      durationMs: 0,
      env: { kind: 'vm', cgroupMode: 'v2' as const },
    };
    const gate = this.gate(lesson);
    if (!gate.available) return { ...base, status: 'locked', lockedReasons: gate.reasons, checks: [] };
    const results: CheckResult[] = [];
    for (const check of this.checks[lesson.id] ?? []) {
      options.signal?.throwIfAborted();
      options.onCheckStart?.({ id: check.result.id, title: check.result.title, tag: check.tag ?? 'observe', run: async () => ({ pass: true, message: '' }) });
      await untilOrAborted(check.until, options.signal);
      const result: CheckResult = { message: '', hint: null, observed: null, ...check.result, durationMs: 1 };
      results.push(result);
      options.onCheckEnd?.(result);
    }
    const document: VerifyDocument = { ...base, status: overallStatus(results), source: 'live', checks: results };
    await this.record(lesson, { kind: 'verify', result: document, record }, !options.sweep);
    return document;
  }

  async start(lesson: LessonMeta): Promise<void> {
    this.calls.push(`start ${lesson.id}`);
    await this.record(lesson, { kind: 'start', setup: this.hasSetup(lesson) });
  }

  async answer(lesson: LessonMeta, key: string, value: string): Promise<LessonProgress> {
    this.calls.push(`answer ${lesson.id} ${key}=${value}`);
    return (await this.record(lesson, { kind: 'answer', key, value }))!;
  }

  async hint(lesson: LessonMeta): Promise<{ shown: string[]; total: number; fromLastVerify: string | undefined }> {
    return hintsOf(lesson, await this.record(lesson, { kind: 'hint', total: lesson.hints.length }));
  }

  async cleanup(lesson: LessonMeta): Promise<void> {
    this.calls.push(`cleanup ${lesson.id}`);
  }

  /** Sets the progress directly (a learner who has been here before); at once with the in-memory store. */
  seed(change: (progress: Progress) => void): void {
    void this.store.update(change);
  }

  /** As the workbook records: by the status rules, and the lesson becomes the last one unless `last` is false. */
  private async record(lesson: LessonMeta, event: LessonEvent, last = true): Promise<LessonProgress | undefined> {
    if (!lessonAfter(this.lessonProgress(lesson), event)) return undefined;
    return structuredClone((await this.store.update((all) => recordEvent(all, lesson.id, event, { last }))).lessons[lesson.id]);
  }
}

/** Progress in memory; `update` applies the change before it returns its promise, as `seed` relies on. */
class MemoryStore implements ProgressFile {
  readonly file = '/workspace/.isolab/progress.json';
  private progress: Progress = emptyProgress();
  read(): Progress {
    return structuredClone(this.progress);
  }
  async update(change: (progress: Progress) => void): Promise<Progress> {
    change(this.progress);
    return structuredClone(this.progress);
  }
}

/** Records what the TUI asked of the terminal; the tasks finish at once (no real terminal in the tests). */
export class FakeTerminal implements TerminalControl {
  readonly calls: string[] = [];
  private active = true;
  private readonly listeners = new Set<() => void>();
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  isActive = () => this.active;
  async showCommands(title: string, commands: readonly string[]): Promise<void> {
    this.calls.push(`commands ${title}: ${commands.join(' | ')}`);
  }
  async openShell(cwd: string): Promise<{ shell: string; code: number | null }> {
    this.calls.push(`shell ${cwd}`);
    return { shell: 'bash', code: 0 };
  }
  async openLabVm(lessonId: string): Promise<{ code: number | null }> {
    this.calls.push(`lab-vm ${lessonId}`);
    return { code: 0 };
  }
}

/** A file watcher the test triggers by hand. */
export function fakeWatcher(): { watchFiles: FileWatcher; watched: string[][]; change: () => void } {
  const listeners = new Set<() => void>();
  const watched: string[][] = [];
  return {
    watched,
    watchFiles: (paths, onChange) => {
      watched.push([...paths]);
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    change: () => {
      for (const listener of listeners) listener();
    },
  };
}

export function fakeServices(workbook: WorkbookApi, overrides: Partial<TuiServices> = {}): TuiServices & { terminal: FakeTerminal } {
  const reader: CgroupStatsReader = async () => ({ state: 'absent' });
  return {
    workbook,
    terminal: new FakeTerminal(),
    cgroupReader: reader,
    watchFiles: fakeWatcher().watchFiles,
    ...overrides,
  } as TuiServices & { terminal: FakeTerminal };
}

/** Waits for a scripted check's gate; a cancelled run stops waiting, as a real check's killed process would. */
async function untilOrAborted(until: Promise<void> | undefined, signal: AbortSignal | undefined): Promise<void> {
  if (!until) return;
  if (!signal) return until;
  signal.throwIfAborted();
  await new Promise<void>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    void until.then(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    });
  });
}

/** A promise the test resolves when it wants the check to finish. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
