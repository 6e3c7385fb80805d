import { Box } from 'ink';
import type { LessonMeta } from '../../lessons/index.js';
import type { LessonProgress } from '../../progress/index.js';
import type { ListEntry } from '../../report/index.js';
import { answerStates } from '../answers.js';
import { useLessonCommands } from '../hooks/use-lesson-commands.js';
import { useLessonInput } from '../hooks/use-lesson-input.js';
import { useLessonText } from '../hooks/use-lesson-text.js';
import { useQuizInput } from '../hooks/use-quiz-input.js';
import { useStepPager } from '../hooks/use-step-pager.js';
import type { TerminalSize } from '../hooks/use-terminal-size.js';
import { lessonKeys, quizKeys } from '../keys.js';
import type { TuiServices } from '../services.js';
import { stepStates } from '../steps.js';
import { CgroupPanel } from './CgroupPanel.js';
import { Footer } from './Footer.js';
import { LessonHeader } from './LessonHeader.js';
import { LessonPanel } from './LessonPanel.js';
import { LessonSidebar } from './LessonSidebar.js';
import { NoticeLine } from './NoticeLine.js';
import { Pager } from './Pager.js';
import { Rule } from './Rule.js';

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
  const sidebar = size.columns >= sidebarFrom;
  const textWidth = Math.max(20, size.columns - (sidebar ? sidebarWidth + 1 : 0) - 2);
  const { text, elements, stepLines, lines } = useLessonText(services.workbook, lesson, textWidth);
  const stepPager = useStepPager(lines, stepLines);
  const commands = useLessonCommands({ ...props, status: entry.status, steps: text.steps, stepPager });
  const { state, quiz } = commands;
  useLessonInput({ active: active && state.panel !== 'quiz', pager: stepPager.scroll, onCommand: (command) => void commands.run[command](), onStep: (number) => stepPager.goToStep(number - 1) });
  useQuizInput({ active: active && state.panel === 'quiz', state: quiz, dispatch: commands.quizDispatch, count: lesson.questions.length, onClose: commands.closePanel, onSubmit: commands.submitAnswer });

  const answers = progress?.answers ?? {};
  const judged = answerStates(lesson.questions.map((question) => question.key), answers, commands.verify.checks, progress?.evidence);
  const section = text.steps[stepPager.step];
  const footerKeys = state.panel === 'quiz' ? quizKeys : lessonKeys({ lesson, watching: state.watching, labVm: commands.labVm }).map((key) => (key.keys === 'Esc' && state.panel !== 'none' ? { ...key, label: 'close' } : key));
  return (
    <Box flexDirection="column" width={size.columns} height={size.rows - 1}>
      <Box flexDirection="column" flexShrink={0}>
        <LessonHeader lesson={lesson} entry={entry} step={!sidebar && section ? `Step ${section.number}/${text.steps.length} ${section.title}` : undefined} percent={stepPager.percent} width={size.columns} />
        <Rule width={size.columns} />
      </Box>
      <Box flexDirection="row" flexGrow={1} flexBasis={0} minHeight={Math.max(4, Math.floor((size.rows - 6) / 3))}>
        <Pager lines={elements} offset={stepPager.pager.offset} width={textWidth + 1} onViewport={stepPager.onViewport} />
        {sidebar && <LessonSidebar width={sidebarWidth} steps={text.steps} states={stepStates(text.steps, judged, entry.status === 'done')} current={stepPager.step} cgroup={lesson.cgroup} reader={services.cgroupReader} />}
      </Box>
      {!sidebar && lesson.cgroup && <CgroupPanel path={lesson.cgroup} reader={services.cgroupReader} compact />}
      <LessonPanel lesson={lesson} commands={commands} answers={answers} judged={judged} width={size.columns} />
      <Box flexDirection="column" flexShrink={0}>
        <Rule width={size.columns} />
        <NoticeLine notice={state.notice} busy={state.busy} />
        <Footer keys={footerKeys} width={size.columns} />
      </Box>
    </Box>
  );
}
