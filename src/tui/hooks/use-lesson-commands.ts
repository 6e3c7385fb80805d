import type { Dispatch } from 'react';
import type { LessonMeta } from '../../lessons/index.js';
import type { LessonProgress } from '../../progress/index.js';
import type { LessonStatus, VerifyDocument } from '../../report/index.js';
import { describeError } from '../errors.js';
import type { StepSection } from '../markdown/lesson-text.js';
import type { TuiServices } from '../services.js';
import { useLessonChecks } from './use-lesson-checks.js';
import type { LessonCommand } from './use-lesson-input.js';
import { useLessonState, type LessonState } from './use-lesson-state.js';
import { useQuizState, type QuizAction, type QuizState } from './use-quiz-state.js';
import type { StepPager } from './use-step-pager.js';
import { useVerifyState, type VerifySource, type VerifyState } from './use-verify-state.js';

export interface LessonCommandsHook {
  lesson: LessonMeta;
  status: LessonStatus;
  progress: LessonProgress | undefined;
  services: TuiServices;
  /** The view has the terminal (watch runs only then). */
  active: boolean;
  steps: readonly StepSection[];
  stepPager: Pick<StepPager, 'step' | 'previousStep' | 'nextStep'>;
  onBack: () => void;
  onOpenLesson: (id: string) => void;
  onHelp: () => void;
  onQuit: () => void;
  /** Progress changed (verify, answer, setup): the course is read again. */
  onProgress: () => void;
}

export interface LessonCommands {
  state: LessonState;
  verify: VerifyState;
  quiz: QuizState;
  quizDispatch: Dispatch<QuizAction>;
  /** What watch re-runs on, in words. */
  watchWhat: string;
  nextLesson: LessonMeta | undefined;
  /** The lesson is locked here for what a lab VM gives: l opens it there. */
  labVm: boolean;
  /** What each key of the lesson does (`use-lesson-input.ts` reads the keys). */
  run: Record<LessonCommand, () => void | Promise<void>>;
  /** The quiz form's Enter: records the answer to question `index`. */
  submitAnswer: (index: number, draft: string) => void;
  closePanel: () => void;
}

/** What the lesson's keys do, through the workbook and the terminal, and the state they change. */
export function useLessonCommands(hook: LessonCommandsHook): LessonCommands {
  const { lesson, status, progress, services, stepPager } = hook;
  const { workbook, terminal } = services;
  const [state, dispatch] = useLessonState({ shown: lesson.hints.slice(0, progress?.hintsShown ?? 0), total: lesson.hints.length, fromLastVerify: progress?.lastVerify?.hint });
  const [verify, verifyDispatch] = useVerifyState();
  const answers = progress?.answers ?? {};
  const [quiz, quizDispatch] = useQuizState(Math.max(0, lesson.questions.findIndex((question) => answers[question.key] === undefined)));
  const notice = (kind: 'info' | 'error', text: string) => dispatch({ type: 'notice', notice: { kind, text } });
  const refresh = () => hook.onProgress();

  const nextLesson = lesson.next ? workbook.catalog.get(lesson.next) : undefined;
  const labVm = status === 'locked' && workbook.labVmLifts(lesson);
  const onFinished = (document: VerifyDocument, source: VerifySource) => {
    // A watch run records only a pass that makes the lesson done; the others change nothing to show.
    if (source === 'watch' && (document.status !== 'pass' || status === 'done')) return;
    refresh();
    if (document.status === 'pass') notice('info', `✓ ${lesson.short} is done.${nextLesson ? ` n opens ${nextLesson.short} ${nextLesson.title}.` : ''}`);
  };
  const checks = useLessonChecks({ workbook, lesson, watchFiles: services.watchFiles, watching: state.watching && hook.active, dispatch: verifyDispatch, onFinished });

  const attempt = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      notice('error', describeError(error));
    }
  };
  const closePanel = () => dispatch({ type: 'show-panel', panel: 'none' });
  /** A step that takes a while (setup, cleanup): said on the notice line while it runs, then `done`. */
  const longStep = (what: string, work: () => Promise<void>, done: string) =>
    attempt(async () => {
      dispatch({ type: 'busy', busy: `${what} ${lesson.short}…` });
      try {
        await work();
      } finally {
        dispatch({ type: 'busy', busy: null });
      }
      refresh();
      notice('info', done);
    });

  const run: Record<LessonCommand, () => void | Promise<void>> = {
    verify: () => {
      dispatch({ type: 'show-panel', panel: 'verify' });
      dispatch({ type: 'notice', notice: null });
      if (!checks.verify()) notice('info', 'The checks are running; v again when they are done.');
    },
    watch: () => {
      notice('info', state.watching ? 'Watch is off.' : `Watch is on: ${checks.plan.describe}; a pass is recorded.`);
      dispatch({ type: 'toggle-watch' });
    },
    hint: () => attempt(async () => dispatch({ type: 'hints', hints: await workbook.hint(lesson) })),
    answer: () => {
      if (lesson.questions.length === 0) return notice('info', `${lesson.short} asks no questions.`);
      dispatch({ type: 'show-panel', panel: 'quiz' });
    },
    setup: () => {
      if (lesson.kind !== 'scenario') return notice('info', `${lesson.short} has no setup to run; only scenario lessons do.`);
      return longStep('Setting up', () => workbook.start(lesson), `Set up ${lesson.short}: the lab is ready.`);
    },
    cleanup: () => longStep('Cleaning up', () => workbook.cleanup(lesson), `Cleaned up ${lesson.short}: its lab is removed; your progress is kept.`),
    commands: () => {
      const section = hook.steps[stepPager.step];
      if (!section || section.commands.length === 0) return notice('info', section ? `Step ${section.number} has no commands.` : 'This lesson has no steps.');
      return attempt(() => terminal.showCommands(`${lesson.short} Step ${section.number}: ${section.title}`, section.commands));
    },
    shell: () =>
      attempt(async () => {
        const { shell, code } = await terminal.openShell(workbook.workspace);
        notice('info', `Back from ${shell}${code ? ` (exit ${code})` : ''}.`);
        refresh();
      }),
    'lab-vm': () => {
      if (!labVm) return notice('info', status === 'locked' ? `A lab VM would not lift what locks ${lesson.short} here.` : `${lesson.short} runs on this machine; no lab VM needed.`);
      return attempt(async () => {
        const { code } = await terminal.openLabVm(lesson.id);
        refresh();
        notice(code === 0 ? 'info' : 'error', code === 0 ? `Back from the lab VM; what you did there is in your progress.` : `The lab VM ended with exit ${code ?? 'by a signal'}.`);
      });
    },
    'next-lesson': () => (lesson.next ? hook.onOpenLesson(lesson.next) : notice('info', 'This is the last lesson.')),
    back: () => (state.panel !== 'none' ? closePanel() : hook.onBack()),
    help: hook.onHelp,
    quit: hook.onQuit,
    'previous-step': stepPager.previousStep,
    'next-step': stepPager.nextStep,
  };

  const submitAnswer = (index: number, draft: string) => {
    const question = lesson.questions[index];
    if (!question) return;
    workbook.answer(lesson, question.key, draft).then(
      () => {
        quizDispatch({ type: 'saved', index, count: lesson.questions.length });
        refresh();
        notice('info', `Recorded ${question.key}.`);
      },
      (error: unknown) => quizDispatch({ type: 'failed', message: describeError(error) }),
    );
  };

  return { state, verify, quiz, quizDispatch, watchWhat: checks.plan.describe, nextLesson, labVm, run, submitAnswer, closePanel };
}
