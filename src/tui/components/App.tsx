import { Box, useApp } from 'ink';
import { useEffect, useState } from 'react';
import { startView } from '../course.js';
import { useAppInput } from '../hooks/use-app-input.js';
import { useAppState } from '../hooks/use-app-state.js';
import { useCourse } from '../hooks/use-course.js';
import { useHomeState } from '../hooks/use-home-state.js';
import { loadMarkdown } from '../hooks/use-markdown.js';
import { useTerminalActive } from '../hooks/use-terminal-active.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { filterKeys, homeKeys, lessonKeys, quizKeys } from '../keys.js';
import type { TuiServices } from '../services.js';
import { HelpScreen } from './HelpScreen.js';
import { Home } from './Home.js';
import { LessonView } from './LessonView.js';

/**
 * The root: owns the screen (home or a lesson), the help overlay and exit. Quitting goes through ink's exit,
 * so ink unmounts, restores raw mode and the cursor, and the caller leaves the alternate screen.
 */
export function App({ services }: { services: TuiServices }) {
  const { exit } = useApp();
  const { workbook } = services;
  const size = useTerminalSize();
  const active = useTerminalActive(services.terminal);
  const [start] = useState(() => startView(workbook.list().lessons, workbook.lastLesson()?.id));
  const [app, appDispatch] = useAppState(start);
  const [home, homeDispatch] = useHomeState(start.screen === 'home' ? start.cursor : start.lesson);
  const lesson = app.screen === 'lesson' && app.lesson ? workbook.catalog.get(app.lesson) : undefined;
  const course = useCourse(workbook, { active, watchFiles: services.watchFiles }, lesson?.id);
  useAppInput({ active, help: app.help, onQuit: exit, onCloseHelp: () => appDispatch({ type: 'close-help' }) });
  useEffect(() => {
    // The first frame comes first; then the Markdown chunk, so the first lesson opens at once.
    const timer = setTimeout(() => void loadMarkdown(), 100);
    return () => clearTimeout(timer);
  }, []);

  const openLesson = (id: string) => {
    appDispatch({ type: 'open-lesson', id });
    homeDispatch({ type: 'select', id });
    const opened = workbook.catalog.get(id);
    // Where the learner left off, for the next start; losing it is no reason to stop them reading.
    if (opened) workbook.opened(opened).catch(() => undefined);
  };
  const help = () => appDispatch({ type: 'toggle-help' });
  const entry = course.list.lessons.find((candidate) => candidate.id === lesson?.id);

  return (
    <Box flexDirection="column" width={size.columns} height={size.rows - 1}>
      {app.help && (
        <HelpScreen
          sections={
            lesson
              ? [
                  { title: `Lesson ${lesson.short}`, keys: lessonKeys({ lesson, watching: false }) },
                  ...(lesson.questions.length > 0 ? [{ title: 'Answers (a)', keys: quizKeys }] : []),
                ]
              : [
                  { title: 'Lessons', keys: homeKeys },
                  { title: 'Filter (/)', keys: filterKeys },
                ]
          }
        />
      )}
      <Box display={app.help ? 'none' : 'flex'} flexDirection="column" flexGrow={1}>
        {lesson ? (
          <LessonView
            key={lesson.id}
            lesson={lesson}
            entry={entry ?? { status: 'available' }}
            progress={course.progress}
            services={services}
            size={size}
            active={active && !app.help}
            onBack={() => appDispatch({ type: 'home' })}
            onOpenLesson={openLesson}
            onHelp={help}
            onQuit={exit}
            onProgress={course.refresh}
          />
        ) : (
          <Home
            list={course.list}
            catalog={workbook.catalog}
            envSummary={workbook.env.environment.summary}
            state={home}
            dispatch={homeDispatch}
            width={size.columns}
            active={active && !app.help}
            onOpen={openLesson}
            onHelp={help}
            onQuit={exit}
          />
        )}
      </Box>
    </Box>
  );
}
