import { Box } from 'ink';
import { useCallback, useMemo, useState } from 'react';
import type { LessonMeta } from '../../lessons/index.js';
import type { LessonProgress } from '../../progress/index.js';
import type { ListEntry, VerifyDocument } from '../../report/index.js';
import { describeError } from '../errors.js';
import { useKeepPlace } from '../hooks/use-keep-place.js';
import { useLessonChecks } from '../hooks/use-lesson-checks.js';
import { useLessonInput, type LessonCommand } from '../hooks/use-lesson-input.js';
import { useLessonState } from '../hooks/use-lesson-state.js';
import { usePagerState } from '../hooks/use-pager-state.js';
import { useQuizInput } from '../hooks/use-quiz-input.js';
import { useQuizState } from '../hooks/use-quiz-state.js';
import type { TerminalSize } from '../hooks/use-terminal-size.js';
import { useVerifyState, type VerifySource } from '../hooks/use-verify-state.js';
import { lessonKeys, quizKeys } from '../keys.js';
import type { LessonText } from '../markdown/lesson-text.js';
import { renderLine } from '../markdown/render-line.js';
import { useMarkdown, type MarkdownModule } from '../hooks/use-markdown.js';
import type { TuiServices } from '../services.js';
import { answerStates } from '../answers.js';
import { currentStep, stepStates } from '../steps.js';
import { useTheme } from '../theme.js';
import { CgroupPanel } from './CgroupPanel.js';
import { Footer } from './Footer.js';
import { HintPanel } from './HintPanel.js';
import { LessonHeader } from './LessonHeader.js';
import { NoticeLine } from './NoticeLine.js';
import { Pager } from './Pager.js';
import { QuizForm } from './QuizForm.js';
import { Rule } from './Rule.js';
import { StepList } from './StepList.js';
import { VerifyPanel } from './VerifyPanel.js';

export interface LessonViewProps {
  lesson: LessonMeta;
  /** The lesson's status and last verify, as the list has them (kept true while another terminal records). */
  entry: Pick<ListEntry, 'status' | 'lastVerify'>;
  /** Its answers and hints, from the same reading. */
  progress: LessonProgress | undefined;
  services: TuiServices;
  size: TerminalSize;
  active: boolean;
  onBack: () => void;
  onOpenLesson: (id: string) => void;
  onHelp: () => void;
  onQuit: () => void;
  /** Progress changed (verify, answer, setup): the course list is read again. */
  onProgress: () => void;
}

/** The sidebar (steps, cgroup) needs this many columns; below it, the header names the step instead. */
const sidebarWidth = 34;
const sidebarFrom = 100;

/** One lesson: its text, its steps, verify and watch, hints, answers, the cgroup panel, a shell, its commands. */
export function LessonView(props: LessonViewProps) {
  const { lesson, entry, progress, services, size, active } = props;
  const { status } = entry;
  const { workbook, terminal } = services;
  const theme = useTheme();
  const markdown = useMarkdown();
  const text = useMemo(() => (markdown ? readLesson(markdown, services, lesson) : noText), [markdown, services, lesson]);
  const sidebar = size.columns >= sidebarFrom;
  const textWidth = Math.max(20, size.columns - (sidebar ? sidebarWidth + 1 : 0) - 2);
  const lines = useMemo(
    () => (markdown ? markdown.layoutMarkdown(text.tokens, { width: textWidth, theme }) : [{ tokenIndex: 0, spans: [{ text: 'Loading the lesson…', dim: true }] }]),
    [markdown, text, textWidth, theme],
  );
  const elements = useMemo(() => lines.map((line, index) => renderLine(line.spans, `line-${index}`)), [lines]);
  const stepLines = useMemo(() => text.steps.map((step) => lines.findIndex((line) => line.tokenIndex === step.tokenIndex)), [text, lines]);

  const [pager, pagerDispatch] = usePagerState();
  const onViewport = useCallback((viewport: number) => pagerDispatch({ type: 'measure', viewport, content: lines.length }), [lines.length]);
  useKeepPlace(lines, pager.offset, (line) => pagerDispatch({ type: 'goto', line }));

  const answers = progress?.answers ?? {};
  const [state, dispatch] = useLessonState({ shown: lesson.hints.slice(0, progress?.hintsShown ?? 0), total: lesson.hints.length, fromLastVerify: progress?.lastVerify?.hint });
  const [verify, verifyDispatch] = useVerifyState();
  const firstUnanswered = Math.max(0, lesson.questions.findIndex((question) => answers[question.key] === undefined));
  const [quiz, quizDispatch] = useQuizState(firstUnanswered);

  // A jump to a step selects it even where the text cannot scroll that far (a short lesson, the last step);
  // any other scrolling selects the step at the top of the view.
  const [jump, setJump] = useState<{ step: number; line: number }>();
  const jumped = jump !== undefined && Math.max(0, Math.min(jump.line, pager.content - pager.viewport)) === pager.offset;
  const step = jumped ? jump.step : currentStep(stepLines, pager);
  const judged = answerStates(lesson.questions.map((question) => question.key), answers, verify.checks, progress?.evidence);
  const states = stepStates(text.steps, judged, status === 'done');
  const notice = (kind: 'info' | 'error', message: string) => dispatch({ type: 'notice', notice: { kind, text: message } });
  const refresh = () => props.onProgress();

  const nextLesson = lesson.next ? workbook.catalog.get(lesson.next) : undefined;
  const onFinished = (document: VerifyDocument, source: VerifySource) => {
    // A watch run records only a pass that makes the lesson done; the others change nothing to show.
    if (source === 'watch' && (document.status !== 'pass' || status === 'done')) return;
    refresh();
    if (document.status === 'pass') notice('info', `✓ ${lesson.short} is done.${nextLesson ? ` n opens ${nextLesson.short} ${nextLesson.title}.` : ''}`);
  };
  const checks = useLessonChecks({ workbook, lesson, watchFiles: services.watchFiles, watching: state.watching && active, dispatch: verifyDispatch, onFinished });

  const attempt = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      notice('error', describeError(error));
    }
  };

  const commands: Record<LessonCommand, () => void | Promise<void>> = {
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
      return attempt(async () => {
        dispatch({ type: 'busy', busy: `Setting up ${lesson.short}…` });
        try {
          await workbook.start(lesson);
        } finally {
          dispatch({ type: 'busy', busy: null });
        }
        refresh();
        notice('info', `Set up ${lesson.short}: the lab is ready.`);
      });
    },
    commands: () => {
      const section = text.steps[step];
      if (!section || section.commands.length === 0) return notice('info', section ? `Step ${section.number} has no commands.` : 'This lesson has no steps.');
      return attempt(() => terminal.showCommands(`${lesson.short} Step ${section.number}: ${section.title}`, section.commands));
    },
    shell: () =>
      attempt(async () => {
        const { shell, code } = await terminal.openShell(workbook.workspace);
        notice('info', `Back from ${shell}${code ? ` (exit ${code})` : ''}.`);
        refresh();
      }),
    'next-lesson': () => (lesson.next ? props.onOpenLesson(lesson.next) : notice('info', 'This is the last lesson.')),
    back: () => (state.panel !== 'none' ? dispatch({ type: 'show-panel', panel: 'none' }) : props.onBack()),
    help: props.onHelp,
    quit: props.onQuit,
    'previous-step': () => goToStep(step - 1),
    // From a step whose heading is still below the top, ] first brings that heading up.
    'next-step': () => goToStep(jumped || stepLines[step]! <= pager.offset ? step + 1 : step),
  };
  const goToStep = (index: number) => {
    const target = Math.max(0, Math.min(index, stepLines.length - 1));
    const line = stepLines[target];
    if (line === undefined || line < 0) return;
    setJump({ step: target, line });
    pagerDispatch({ type: 'goto', line });
  };

  useLessonInput({
    active: active && state.panel !== 'quiz',
    pager: pagerDispatch,
    onCommand: (command) => void commands[command](),
    onStep: (number) => goToStep(number - 1),
  });
  useQuizInput({
    active: active && state.panel === 'quiz',
    state: quiz,
    dispatch: quizDispatch,
    count: lesson.questions.length,
    onClose: () => dispatch({ type: 'show-panel', panel: 'none' }),
    onSubmit: (index, draft) => {
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
    },
  });

  const percent = lines.length <= pager.viewport ? 100 : Math.round((Math.min(lines.length, pager.offset + pager.viewport) / lines.length) * 100);
  const section = text.steps[step];
  const footerKeys = state.panel === 'quiz' ? quizKeys : lessonKeys({ lesson, watching: state.watching }).map((key) => (key.keys === 'Esc' && state.panel !== 'none' ? { ...key, label: 'close' } : key));
  return (
    <Box flexDirection="column" width={size.columns} height={size.rows - 1}>
      <Box flexDirection="column" flexShrink={0}>
        <LessonHeader lesson={lesson} entry={entry} step={!sidebar && section ? `Step ${section.number}/${text.steps.length} ${section.title}` : undefined} percent={percent} width={size.columns} />
        <Rule width={size.columns} />
      </Box>
      <Box flexDirection="row" flexGrow={1} flexBasis={0} minHeight={Math.max(4, Math.floor((size.rows - 6) / 3))}>
        <Pager lines={elements} offset={pager.offset} width={textWidth + 1} onViewport={onViewport} />
        {sidebar && (
          <Box
            flexDirection="column"
            width={sidebarWidth}
            flexShrink={0}
            paddingLeft={1}
            overflow="hidden"
            {...(theme.plain ? { marginLeft: 1 } : { borderStyle: 'single' as const, borderTop: false, borderRight: false, borderBottom: false, borderDimColor: true })}
          >
            <StepList steps={text.steps} states={states} current={step} />
            {lesson.cgroup && (
              <Box marginTop={1}>
                <CgroupPanel path={lesson.cgroup} reader={services.cgroupReader} />
              </Box>
            )}
          </Box>
        )}
      </Box>
      {!sidebar && lesson.cgroup && <CgroupPanel path={lesson.cgroup} reader={services.cgroupReader} compact />}
      {state.panel !== 'none' && (
        <Box flexDirection="column" flexShrink={1} overflow="hidden">
          <Box flexShrink={0}>
            <Rule width={size.columns} />
          </Box>
          <Box flexDirection="column" flexShrink={0} paddingX={1}>
            {state.panel === 'verify' && <VerifyPanel state={verify} watching={state.watching} watchWhat={checks.plan.describe} next={nextLesson ? `${nextLesson.short} ${nextLesson.title}` : undefined} />}
            {state.panel === 'hints' && <HintPanel hints={state.hints} />}
            {state.panel === 'quiz' && <QuizForm short={lesson.short} questions={lesson.questions} answers={answers} judged={judged} state={quiz} />}
          </Box>
        </Box>
      )}
      <Box flexDirection="column" flexShrink={0}>
        <Rule width={size.columns} />
        <NoticeLine notice={state.notice} busy={state.busy} />
        <Footer keys={footerKeys} width={size.columns} />
      </Box>
    </Box>
  );
}

const noText: LessonText = { tokens: [], steps: [] };

function readLesson(markdown: MarkdownModule, services: TuiServices, lesson: LessonMeta): LessonText {
  try {
    return markdown.parseLessonText(services.lessonText(lesson));
  } catch (error) {
    return markdown.parseLessonText(`The text of ${lesson.short} could not be read: ${describeError(error)}`);
  }
}
