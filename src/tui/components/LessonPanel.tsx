import { Box } from 'ink';
import type { LessonMeta } from '../../lessons/index.js';
import type { AnswerState } from '../answers.js';
import type { LessonCommands } from '../hooks/use-lesson-commands.js';
import { HintPanel } from './HintPanel.js';
import { QuizForm } from './QuizForm.js';
import { Rule } from './Rule.js';
import { VerifyPanel } from './VerifyPanel.js';

/** The panel under the text: the checks (verify and watch), the hints or the answer form; nothing when closed. */
export function LessonPanel(props: {
  lesson: LessonMeta;
  commands: Pick<LessonCommands, 'state' | 'verify' | 'quiz' | 'watchWhat' | 'nextLesson'>;
  answers: Readonly<Record<string, string>>;
  judged: Readonly<Record<string, AnswerState>>;
  width: number;
}) {
  const { lesson, answers, judged } = props;
  const { state, verify, quiz, watchWhat, nextLesson } = props.commands;
  if (state.panel === 'none') return null;
  return (
    <Box flexDirection="column" flexShrink={1} overflow="hidden">
      <Box flexShrink={0}>
        <Rule width={props.width} />
      </Box>
      <Box flexDirection="column" flexShrink={0} paddingX={1}>
        {state.panel === 'verify' && <VerifyPanel state={verify} watching={state.watching} watchWhat={watchWhat} next={nextLesson ? `${nextLesson.short} ${nextLesson.title}` : undefined} />}
        {state.panel === 'hints' && <HintPanel hints={state.hints} />}
        {state.panel === 'quiz' && <QuizForm short={lesson.short} questions={lesson.questions} answers={answers} judged={judged} state={quiz} />}
      </Box>
    </Box>
  );
}
