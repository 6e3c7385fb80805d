import { Box, Text } from 'ink';
import type { Dispatch } from 'react';
import type { Catalog } from '../../lessons/index.js';
import type { ListDocument } from '../../report/index.js';
import { homeRows, progressOf } from '../course.js';
import { useBoxHeight } from '../hooks/use-box-height.js';
import { useHomeInput } from '../hooks/use-home-input.js';
import { selectedId, type HomeAction, type HomeState } from '../hooks/use-home-state.js';
import { filterKeys, homeKeys } from '../keys.js';
import { useTheme } from '../theme.js';
import { CourseProgress } from './CourseProgress.js';
import { EnvBanner } from './EnvBanner.js';
import { Footer } from './Footer.js';
import { LessonDetail } from './LessonDetail.js';
import { LessonList } from './LessonList.js';
import { Rule } from './Rule.js';

export interface HomeProps {
  list: ListDocument;
  catalog: Catalog;
  envSummary: string;
  state: HomeState;
  dispatch: Dispatch<HomeAction>;
  width: number;
  active: boolean;
  onOpen: (id: string) => void;
  onHelp: () => void;
  onQuit: () => void;
}

/** Tracks and lessons with their marks, the course's progress, the environment, and the selected lesson. */
export function Home({ list, catalog, envSummary, state, dispatch, width, active, onOpen, onHelp, onQuit }: HomeProps) {
  const rows = homeRows(list.lessons, catalog.lessons, state);
  const ids = rows.flatMap((row) => (row.kind === 'lesson' ? [row.key] : []));
  const selected = selectedId(state, ids);
  const count = progressOf(list.lessons, state.mode);
  const { plain } = useTheme();
  const [listRef, listHeight] = useBoxHeight();
  useHomeInput({ active, state, dispatch, ids, pageSize: Math.max(1, listHeight - 2), onOpen, onHelp, onQuit });
  const entry = list.lessons.find((candidate) => candidate.id === selected);
  return (
    <Box flexDirection="column" width={width} flexGrow={1}>
      <Box flexDirection="column" flexShrink={0}>
        <EnvBanner summary={envSummary} />
        <CourseProgress mode={state.mode} count={count} width={width} />
        {(state.filtering || state.filter) && (
          <Text wrap="truncate-end">
            <Text bold>Filter: </Text>
            {state.filter}
            {state.filtering ? (plain ? '_' : '▏') : <Text dimColor> (/ to change, Esc to clear)</Text>}
          </Text>
        )}
        <Rule width={width} />
      </Box>
      <Box ref={listRef} flexDirection="column" flexGrow={1} flexBasis={0} minHeight={3} overflow="hidden">
        {rows.length > 0 ? (
          <LessonList rows={rows} selected={selected} height={listHeight} width={width} />
        ) : (
          <Text dimColor>
            {state.mode === 'fast' && !state.filter ? 'No lesson is on the fast path yet: f shows the full course.' : 'No lesson matches the filter.'}
          </Text>
        )}
      </Box>
      <Box flexShrink={0}>
        <Rule width={width} />
      </Box>
      <Box flexDirection="column" flexShrink={1} overflow="hidden">
        <LessonDetail entry={entry} lesson={selected ? catalog.get(selected) : undefined} />
      </Box>
      <Box flexDirection="column" flexShrink={0}>
        <Rule width={width} />
        <Footer keys={state.filtering ? filterKeys : homeKeys} width={width} />
      </Box>
    </Box>
  );
}
