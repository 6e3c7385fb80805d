import { join } from 'node:path';
import { lessonIndex } from 'isolab:lesson-index';
import { loadChecker } from 'isolab:checkers';
import { blockedError, IsolabError, isIsolabError, usageError } from '../errors/index.js';
import { runProgram } from '../exec/index.js';
import { withLessonLab } from '../lab/index.js';
import { capabilitiesOf, labVmCapabilities, namespaceKinds, probeEnvironment, remedyFor, type EnvReport, type NamespaceKind, type ProbeOptions } from '../env/index.js';
import { Catalog, gateLesson, readLessonBody, type GateResult, type LessonMeta } from '../lessons/index.js';
import { ProgressStore, stateHome, type LessonProgress } from '../progress/index.js';
import {
  documentVersion,
  overallStatus,
  signResult,
  summarize,
  type ListDocument,
  type VerifyAllDocument,
  type VerifyDocument,
} from '../report/index.js';
import { isolabVersion, liveSystem, packageRoot, type SystemRoot } from '../system/index.js';
import { runChecks, runLessonStep, type Check, type CheckResult, type Checker } from '../verify/index.js';
import { hintsOf, lessonAfter, listEntry, recordEvent, type LessonEvent } from './status.js';

export interface WorkbookOptions {
  system?: SystemRoot;
  /** The state directory (.isolab); defaults to ISOLAB_HOME or the checkout's .isolab/. */
  home?: string;
  warn?: (message: string) => void;
  /** `doctor` probes everything; other commands only what the course's requirements ask about. */
  fullProbe?: boolean;
  /** Where exercises/ is; the checkout by default (tests use a copy, to edit exercise files freely). */
  workspace?: string;
}

export interface VerifyOptions {
  /** Re-check a state lesson even if a pass is recorded (verify --all reads recorded passes otherwise). */
  live?: boolean;
  useRecorded?: boolean;
  /** Part of `verify --all`: results are recorded, but the lesson does not become the one the learner is on. */
  sweep?: boolean;
  /**
   * `always` (verify): every run counts as an attempt and is recorded. `pass` (watch): only a pass is recorded,
   * and only while the lesson is not done yet; a failing watch run is not an attempt.
   */
  record?: 'always' | 'pass';
  /** Cancels the run: `verify` rejects with the signal's AbortError and records nothing. */
  signal?: AbortSignal;
  onCheckStart?: (check: Check) => void;
  onCheckEnd?: (result: CheckResult) => void;
}

/** The operations of the workbook, shared by the headless commands and the TUI. */
export class Workbook {
  readonly catalog = new Catalog(lessonIndex);
  readonly capabilities: ReadonlySet<string>;
  private vmCapabilities: ReadonlySet<string> | undefined;

  private constructor(
    readonly system: SystemRoot,
    readonly store: ProgressStore,
    readonly env: EnvReport,
    readonly workspace: string,
  ) {
    this.capabilities = new Set(capabilitiesOf(env));
  }

  /** Probes the environment once; gating and reports read that one report. */
  static async open(options: WorkbookOptions = {}): Promise<Workbook> {
    const system = options.system ?? liveSystem();
    const store = new ProgressStore(options.home ?? stateHome(system.env), { warn: options.warn, env: system.env });
    const probe: ProbeOptions = options.fullProbe
      ? { namespaces: namespaceKinds, sudo: true, bpfLsm: 'always' }
      : { namespaces: requiredNamespaces(lessonIndex), sudo: false, bpfLsm: requiresBpfLsm(lessonIndex) ? 'when-needed' : 'never' };
    return new Workbook(system, store, await probeEnvironment(system, probe), options.workspace ?? packageRoot());
  }

  gate(lesson: LessonMeta): GateResult {
    return gateLesson(lesson, this.capabilities, (key) => remedyFor(key, this.env));
  }

  /** Locked here, and every requirement met inside a lab VM (`isolab vm`), which this machine can run. */
  labVmLifts(lesson: LessonMeta): boolean {
    if (this.gate(lesson).available || !this.env.labVm.supported) return false;
    this.vmCapabilities ??= labVmCapabilities(this.env);
    return gateLesson(lesson, this.vmCapabilities, () => '').available;
  }

  list(): ListDocument {
    const progress = this.store.read();
    return {
      version: documentVersion,
      lessons: this.catalog.lessons.map((lesson) => listEntry(lesson, progress.lessons[lesson.id], this.gate(lesson))),
    };
  }

  /** What the progress holds for `lesson` (answers, hints shown, last verify); undefined before any. */
  lessonProgress(lesson: LessonMeta): LessonProgress | undefined {
    return this.store.lesson(lesson.id);
  }

  /** progress.json: watch it to see what another terminal records. */
  get progressFile(): string {
    return this.store.file;
  }

  /** The lesson's Markdown body (front matter removed), from the checkout it runs in. */
  lessonText(lesson: LessonMeta): string {
    return readLessonBody(this.workspace, lesson);
  }

  checker(lesson: LessonMeta): Promise<Checker> {
    return loadChecker(lesson.id);
  }

  async verify(lesson: LessonMeta, options: VerifyOptions = {}): Promise<VerifyDocument> {
    const startedAt = new Date();
    const started = performance.now();
    const base = {
      version: documentVersion,
      isolab: isolabVersion(),
      lesson: lesson.id,
      short: lesson.short,
      title: lesson.title,
      startedAt: startedAt.toISOString(),
      env: { kind: this.env.environment.kind, cgroupMode: this.env.cgroup.mode },
    } as const;
    const gate = this.gate(lesson);
    if (!gate.available) return this.stamp({ ...base, status: 'locked', lockedReasons: gate.reasons, checks: [], durationMs: 0 });

    const recorded = this.store.lesson(lesson.id);
    // A state lesson's lab is usually cleaned up after it passed; its recorded evidence stands for it.
    if (options.useRecorded && !options.live && isStateKind(lesson) && recorded?.status === 'done' && recorded.evidence) {
      return this.stamp({ ...base, status: 'pass', source: 'recorded', checks: recordedChecks(recorded), durationMs: 0 });
    }

    // A scenario's checks look for a repair; on a machine where setup never broke anything they would pass
    // for nothing. So a scenario is verified only after `isolab start`.
    if (lesson.kind === 'scenario' && !recorded?.setupAt) {
      const notStarted: CheckResult = {
        id: 'started',
        title: 'the scenario was set up',
        status: 'fail',
        message: `isolab start ${lesson.short} has not run here, so there is nothing to repair yet`,
        observed: null,
        hint: `Run isolab start ${lesson.short}: it breaks something for you to diagnose and repair.`,
        durationMs: 0,
      };
      const document: VerifyDocument = { ...base, status: 'fail', source: 'live', checks: [notStarted], durationMs: 0 };
      await this.recordVerify(lesson, document, { last: !options.sweep, record: options.record });
      return this.stamp(document);
    }

    const checker = await this.checker(lesson);
    // A quiz reads the machine and changes nothing; every other lesson's checks use its lab, one run at a time.
    const inLab = <T>(work: () => Promise<T>) => (lesson.kind === 'live-quiz' ? work() : withLessonLab(this.lessonLocks(), lesson, work));
    const checks = await inLab(() =>
      runChecks(checker, {
        lesson,
        system: this.system,
        answers: recorded?.answers ?? {},
        workspace: this.workspace,
        signal: options.signal,
        onCheckStart: options.onCheckStart,
        onCheckEnd: options.onCheckEnd,
      }),
    );
    const status = overallStatus(checks);
    const document: VerifyDocument = {
      ...base,
      status,
      source: 'live',
      checks,
      durationMs: Math.round(performance.now() - started),
    };
    await this.recordVerify(lesson, document, { last: !options.sweep, record: options.record });
    return this.stamp(document);
  }

  async verifyAll(options: VerifyOptions = {}): Promise<VerifyAllDocument> {
    const results: VerifyDocument[] = [];
    let notRecorded: ResultNotRecorded | undefined;
    for (const lesson of this.catalog.lessons) {
      try {
        results.push(await this.verify(lesson, { ...options, useRecorded: true, sweep: true }));
      } catch (error) {
        if (!(error instanceof ResultNotRecorded)) throw error;
        notRecorded ??= error;
        results.push(error.document as VerifyDocument);
      }
    }
    const document: VerifyAllDocument = { version: documentVersion, results, summary: summarize(results) };
    if (notRecorded) throw new ResultNotRecorded(document, notRecorded.cause as IsolabError);
    return document;
  }

  async start(lesson: LessonMeta): Promise<void> {
    this.requireAvailable(lesson);
    const checker = await this.checker(lesson);
    const answers = this.store.lesson(lesson.id)?.answers ?? {};
    await runLessonStep('setup', checker.setup, { lesson, system: this.system, answers, workspace: this.workspace });
    await this.record(lesson, { kind: 'start', setup: Boolean(checker.setup) });
  }

  async answer(lesson: LessonMeta, key: string, value: string): Promise<LessonProgress> {
    if (lesson.questions.length === 0) {
      throw usageError(`${lesson.short} ${lesson.title} asks no questions`, 'Only live-quiz lessons take answers.');
    }
    const question = lesson.questions.find((candidate) => candidate.key === key);
    if (!question) {
      throw usageError(
        `${lesson.short} has no question "${key}"`,
        `Its questions are: ${lesson.questions.map((candidate) => candidate.key).join(', ')}.`,
      );
    }
    if (value.trim() === '') throw usageError('the answer is empty', 'Give the value after the question key.');
    return (await this.record(lesson, { kind: 'answer', key, value }))!;
  }

  /**
   * The lesson the learner is on: the last one opened (in the workbook or with show), started, answered, verified
   * by name or asked a hint for. Undefined before any, or if that lesson has left the course since.
   */
  lastLesson(): LessonMeta | undefined {
    const id = this.store.read().lastLesson;
    return id === undefined ? undefined : this.catalog.get(id);
  }

  /** Makes `lesson` the one the learner is on, as opening it in the workbook does. */
  async opened(lesson: LessonMeta): Promise<void> {
    await this.store.update((progress) => void (progress.lastLesson = lesson.id));
  }

  /** The next front-matter hint (one more per call), and the hint computed at the last verify. */
  async hint(lesson: LessonMeta): Promise<{ shown: string[]; total: number; fromLastVerify: string | undefined }> {
    return hintsOf(lesson, await this.record(lesson, { kind: 'hint', total: lesson.hints.length }));
  }

  /** Runs a lesson's cleanup (removes what it and its solution made). */
  async cleanup(lesson: LessonMeta): Promise<void> {
    const checker = await this.checker(lesson);
    await runLessonStep('cleanup', checker.cleanup, {
      lesson,
      system: this.system,
      answers: this.store.lesson(lesson.id)?.answers ?? {},
      workspace: this.workspace,
    });
  }

  async forget(lesson: LessonMeta): Promise<void> {
    await this.store.update((progress) => {
      delete progress.lessons[lesson.id];
    });
  }

  requireAvailable(lesson: LessonMeta): void {
    const gate = this.gate(lesson);
    if (!gate.available) {
      throw blockedError(`${lesson.short} ${lesson.title} is locked on this machine`, gate.reasons.join('\n'));
    }
  }

  /** Who did the work (ISOLAB_LEARNER, else the workspace's git author), and the teacher's signature if keyed. */
  private async stamp(document: VerifyDocument): Promise<VerifyDocument> {
    const learner = (this.learnerName ??= await learnerOf(this.system.env, this.workspace));
    const stamped = learner ? { ...document, learner } : document;
    const key = this.system.env.ISOLAB_REPORT_KEY;
    return key ? signResult(stamped, key) : stamped;
  }

  private learnerName: string | null | undefined;

  /**
   * Where a lesson's lab is marked in use: root's labs are the machine's (/run/isolab, root's alone); a learner's
   * own are theirs (their runtime directory, or else their state directory).
   */
  private lessonLocks(): string {
    if (this.env.privileges.root) return '/run/isolab/running';
    return this.system.env.XDG_RUNTIME_DIR ? join(this.system.env.XDG_RUNTIME_DIR, 'isolab') : join(this.store.home, 'running');
  }

  /** A result that cannot be recorded is still the learner's: it travels with the error (ResultNotRecorded). */
  private async recordVerify(lesson: LessonMeta, result: VerifyDocument, options: { last: boolean; record: VerifyOptions['record'] }): Promise<void> {
    try {
      await this.record(lesson, { kind: 'verify', result, record: options.record ?? 'always' }, { last: options.last });
    } catch (error) {
      if (isIsolabError(error)) throw new ResultNotRecorded(await this.stamp(result), error);
      throw error;
    }
  }

  /**
   * Records `event` by the status rules (`lessonAfter`), and makes the lesson the one the learner is on unless
   * `last` is false. An event that records nothing (a failing watch run) takes no lock and writes nothing.
   */
  private async record(lesson: LessonMeta, event: LessonEvent, options: { last?: boolean } = {}): Promise<LessonProgress | undefined> {
    if (!lessonAfter(this.store.lesson(lesson.id), event)) return undefined;
    return (await this.store.update((all) => recordEvent(all, lesson.id, event, options))).lessons[lesson.id];
  }
}

// Only the BPF LSM's answer may need the kernel config and bpftool's probe, the costly reads.
function requiresBpfLsm(lessons: readonly LessonMeta[]): boolean {
  return lessons.some((lesson) => lesson.requires.some((key) => key.split('|').includes('bpf-lsm')));
}

function requiredNamespaces(lessons: readonly LessonMeta[]): NamespaceKind[] {
  const kinds = new Set(lessons.flatMap((lesson) => lesson.requires).filter((key) => key.startsWith('ns:')).map((key) => key.slice(3)));
  return namespaceKinds.filter((kind) => kinds.has(kind));
}

async function learnerOf(env: NodeJS.ProcessEnv, workspace: string): Promise<string | null> {
  if (env.ISOLAB_LEARNER) return env.ISOLAB_LEARNER;
  const git = async (key: string) => {
    const result = await runProgram('git', ['-C', workspace, 'config', key], { timeoutMs: 10_000 });
    return result.exitCode === 0 ? result.stdout.trim() : '';
  };
  const name = await git('user.name');
  const email = await git('user.email');
  return name || email ? [name, email && `<${email}>`].filter(Boolean).join(' ') : null;
}

function isStateKind(lesson: LessonMeta): boolean {
  return lesson.kind === 'state' || lesson.kind === 'scenario';
}

function recordedChecks(recorded: LessonProgress): CheckResult[] {
  return Object.entries(recorded.evidence ?? {}).map(([id, observed]) => ({
    id,
    title: id,
    status: 'pass',
    message: `passed on ${recorded.completedAt ?? 'an earlier run'}${recorded.passedWith ? ` with isolab ${recorded.passedWith}` : ''}; the recorded observation stands for it`,
    observed: (observed as Record<string, unknown> | null) ?? null,
    hint: null,
    durationMs: 0,
  }));
}

/**
 * The checks ran but their result could not be recorded (a read-only or full state directory, a lock held by
 * another isolab): the error of the state directory, carrying the result so the command can still show it.
 */
export class ResultNotRecorded extends IsolabError {
  constructor(
    readonly document: VerifyDocument | VerifyAllDocument,
    cause: IsolabError,
  ) {
    super(`${cause.message} (the result above stands, but is not in your progress)`, { remedy: cause.remedy, exitCode: cause.exitCode, cause });
    this.name = 'ResultNotRecorded';
  }
}
