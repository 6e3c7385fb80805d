import { existsSync, lchownSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as z from 'zod/mini';
import { blockedError, errnoCode } from '../errors/index.js';
import { LinkRefused, pathKind, readFileNoFollow, replaceFile, writeNewFile } from '../system/index.js';
import { stateFault } from './faults.js';
import { withFileLock } from './lock.js';
import { learnerOwner } from './ownership.js';

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

/** The format this isolab writes; a file with a higher one came from a newer isolab. */
const formatVersion = 1;

export type LessonProgress = z.infer<typeof lessonProgressSchema>;
export type Progress = z.infer<typeof progressSchema>;

export function emptyProgress(): Progress {
  return { version: 1, lessons: {} };
}

export function emptyLessonProgress(): LessonProgress {
  return { status: 'in-progress', hintsShown: 0, attempts: 0, answers: {} };
}

export interface ProgressStoreOptions {
  /** Where warnings go (entries or a whole file set aside). */
  warn?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** The file as read: the entries that follow the schema, and the raw ones that do not. */
interface ReadProgress {
  progress: Progress;
  unreadable: Record<string, unknown>;
}

/**
 * `.isolab/progress.json`: read freely, changed only through `update`, which holds a lock across
 * read-modify-write and replaces the file by rename, so a reader never sees half a file.
 *
 * isolab may run as root in a state directory the learner owns: no name in it is followed if it is a link, new
 * files are created exclusively under unpredictable names, and their owner is set on the open file. Every fault
 * of the directory (read-only, full, a link, a directory where the file belongs) is an IsolabError that names
 * the path and the remedy. One entry that does not follow the schema is set aside on its own; the rest is kept.
 */
export class ProgressStore {
  readonly file: string;
  private readonly lockFile: string;
  private warnedUnreadable = false;

  constructor(
    readonly home: string,
    private readonly options: ProgressStoreOptions = {},
  ) {
    this.file = join(home, 'progress.json');
    this.lockFile = join(home, 'progress.lock');
  }

  read(): Progress {
    const { progress, unreadable } = this.readEntries();
    const ids = Object.keys(unreadable);
    if (ids.length > 0 && !this.warnedUnreadable) {
      this.warnedUnreadable = true;
      this.options.warn?.(`progress for ${ids.join(', ')} in ${this.file} does not follow isolab's format; it is left out, and set aside on the next change`);
    }
    return progress;
  }

  lesson(id: string): LessonProgress | undefined {
    return this.read().lessons[id];
  }

  async update(change: (progress: Progress) => void): Promise<Progress> {
    this.ensureHome();
    return withFileLock(this.lockFile, async () => {
      const { progress, unreadable } = this.readEntries();
      if (Object.keys(unreadable).length > 0) this.setAside(unreadable);
      change(progress);
      this.write(progress);
      return progress;
    }).catch((error: unknown) => {
      throw stateFault(error, this.home, 'record progress');
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

  private readEntries(): ReadProgress {
    let text: string;
    try {
      text = readFileNoFollow(this.file);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT' && !this.homeIsDanglingLink()) return { progress: emptyProgress(), unreadable: {} };
      throw stateFault(error, errnoCode(error) === 'ENOENT' ? this.home : this.file, 'read progress');
    }
    const parsed = safeJson(text);
    if (isRecord(parsed) && typeof parsed.version === 'number' && parsed.version > formatVersion) {
      throw blockedError(
        `${this.file} was written by a newer isolab (format ${parsed.version}; this one reads ${formatVersion}); it is left as it is`,
        'Update isolab (git pull, then npm ci) to go on with this progress, or set ISOLAB_HOME to another directory.',
      );
    }
    const top = progressSchema.safeParse(isRecord(parsed) ? { ...parsed, lessons: {} } : parsed);
    if (!top.success || !isRecord(parsed) || (parsed.lessons !== undefined && !isRecord(parsed.lessons))) {
      this.moveAside();
      return { progress: emptyProgress(), unreadable: {} };
    }
    const progress = top.data;
    const unreadable: Record<string, unknown> = {};
    for (const [id, raw] of Object.entries((parsed.lessons as Record<string, unknown> | undefined) ?? {})) {
      const entry = lessonProgressSchema.safeParse(raw);
      if (entry.success) progress.lessons[id] = entry.data;
      else unreadable[id] = raw;
    }
    return { progress, unreadable };
  }

  private write(progress: Progress): void {
    replaceFile(this.file, `${JSON.stringify(progress, null, 2)}\n`, { mode: 0o644, owner: learnerOwner(this.options.env) });
  }

  /** Entries that do not follow the schema, kept for the learner to inspect in a file of their own. */
  private setAside(unreadable: Record<string, unknown>): void {
    const aside = `${this.file}.set-aside-${timestamp()}`;
    writeNewFile(aside, `${JSON.stringify({ lessons: unreadable }, null, 2)}\n`, { mode: 0o644, owner: learnerOwner(this.options.env) });
    this.options.warn?.(`progress for ${Object.keys(unreadable).join(', ')} did not follow isolab's format; set it aside in ${aside} and kept the rest`);
  }

  /** A file we cannot read is kept for the learner to inspect, never silently overwritten. */
  private moveAside(): void {
    const aside = `${this.file}.corrupt-${timestamp()}`;
    try {
      renameSync(this.file, aside);
      this.options.warn?.(`progress file ${this.file} could not be read; moved it to ${aside} and started afresh`);
    } catch (error) {
      // Another process moved it first.
      if (errnoCode(error) !== 'ENOENT') throw stateFault(error, this.file, 'set the unreadable progress file aside');
    }
  }

  /**
   * The state directory exists as a real directory, made for the learner if it was not there. As root, a link
   * there (ISOLAB_HOME or .isolab pointing elsewhere) is refused: it could point anywhere the learner likes.
   */
  ensureHome(): void {
    const owner = learnerOwner(this.options.env);
    try {
      const kind = pathKind(this.home);
      if (kind === 'link' && process.geteuid?.() === 0) throw new LinkRefused(this.home);
      if (kind !== 'missing') return;
      mkdirSync(dirname(this.home), { recursive: true });
      mkdirSync(this.home, { mode: 0o755 });
      if (owner) lchownSync(this.home, owner.uid, owner.gid);
      writeNewFile(join(this.home, '.gitignore'), '*\n', { owner });
    } catch (error) {
      if (errnoCode(error) === 'EEXIST') return;
      throw stateFault(error, this.home, 'create the state directory');
    }
  }

  private homeIsDanglingLink(): boolean {
    return pathKind(this.home) === 'link' && !existsSync(this.home);
  }
}

const timestamp = () => new Date().toISOString().replace(/[:.]/g, '-');

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
