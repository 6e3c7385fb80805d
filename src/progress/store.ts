import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { errnoCode } from '../errors/index.js';
import { withFileLock } from './lock.js';
import { giveToLearner } from './ownership.js';

// zod/mini keeps the commands' bundle small: this is on the path of every command.
const lessonProgressSchema = z.object({
  status: z.enum(['in-progress', 'done']),
  startedAt: z.optional(z.string()),
  completedAt: z.optional(z.string()),
  hintsShown: z._default(z.number().check(z.int(), z.minimum(0)), 0),
  attempts: z._default(z.number().check(z.int(), z.minimum(0)), 0),
  /** For a pass: what each check observed. */
  evidence: z.optional(z.record(z.string(), z.unknown())),
  /** When `isolab start` ran the lesson's setup (a scenario means nothing without it). */
  setupAt: z.optional(z.string()),
  /** The isolab version that recorded the pass. */
  passedWith: z.optional(z.string()),
  answers: z._default(z.record(z.string(), z.string()), {}),
  /** The latest full verify; passed and total are its check counts. */
  lastVerify: z.optional(
    z.object({
      status: z.string(),
      at: z.string(),
      hint: z.optional(z.string()),
      passed: z.optional(z.number().check(z.int(), z.minimum(0))),
      total: z.optional(z.number().check(z.int(), z.minimum(0))),
    }),
  ),
});

const progressSchema = z.object({
  version: z.literal(1),
  lastLesson: z.optional(z.string()),
  lessons: z._default(z.record(z.string(), lessonProgressSchema), {}),
});

export type LessonProgress = z.infer<typeof lessonProgressSchema>;
export type Progress = z.infer<typeof progressSchema>;

export function emptyProgress(): Progress {
  return { version: 1, lessons: {} };
}

export function emptyLessonProgress(): LessonProgress {
  return { status: 'in-progress', hintsShown: 0, attempts: 0, answers: {} };
}

export interface ProgressStoreOptions {
  /** Where warnings go (a corrupt file moved aside). */
  warn?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * `.isolab/progress.json`: read freely, changed only through `update`, which holds a lock across
 * read-modify-write and replaces the file by rename, so a reader never sees half a file.
 */
export class ProgressStore {
  readonly file: string;
  private readonly lockFile: string;

  constructor(
    readonly home: string,
    private readonly options: ProgressStoreOptions = {},
  ) {
    this.file = join(home, 'progress.json');
    this.lockFile = join(home, 'progress.lock');
  }

  read(): Progress {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return emptyProgress();
      throw error;
    }
    const parsed = safeJson(text);
    const result = progressSchema.safeParse(parsed);
    if (result.success) return result.data;
    this.moveAside();
    return emptyProgress();
  }

  lesson(id: string): LessonProgress | undefined {
    return this.read().lessons[id];
  }

  async update(change: (progress: Progress) => void): Promise<Progress> {
    this.ensureHome();
    return withFileLock(this.lockFile, async () => {
      const progress = this.read();
      change(progress);
      this.write(progress);
      return progress;
    });
  }

  /**
   * Changes one lesson's entry, creating it (in progress, started now) if it does not exist, and makes it the
   * lesson the learner is on (`lastLesson`) unless `last` is false.
   */
  async updateLesson(id: string, change: (lesson: LessonProgress) => void, options: { last?: boolean } = {}): Promise<LessonProgress> {
    const progress = await this.update((all) => {
      const lesson = (all.lessons[id] ??= { ...emptyLessonProgress(), startedAt: new Date().toISOString() });
      change(lesson);
      if (options.last !== false) all.lastLesson = id;
    });
    return progress.lessons[id]!;
  }

  private write(progress: Progress): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(progress, null, 2)}\n`, { mode: 0o644 });
    this.chownToLearner(temporary);
    renameSync(temporary, this.file);
  }

  /** A file we cannot read is kept for the learner to inspect, never silently overwritten. */
  private moveAside(): void {
    const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(this.file, aside);
      this.options.warn?.(`progress file ${this.file} could not be read; moved it to ${aside} and started afresh`);
    } catch (error) {
      // Another process moved it first.
      if (errnoCode(error) !== 'ENOENT') throw error;
    }
  }

  private ensureHome(): void {
    if (existsSync(this.home)) return;
    mkdirSync(this.home, { recursive: true });
    this.chownToLearner(this.home);
    writeFileSync(join(this.home, '.gitignore'), '*\n');
    this.chownToLearner(join(this.home, '.gitignore'));
  }

  private chownToLearner(path: string): void {
    giveToLearner(path, this.options.env);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
