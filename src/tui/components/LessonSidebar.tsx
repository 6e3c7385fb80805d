import { Box } from 'ink';
import type { StepSection } from '../markdown/lesson-text.js';
import type { CgroupStatsReader } from '../cgroup-stats.js';
import type { StepState } from '../steps.js';
import { useTheme } from '../theme.js';
import { CgroupPanel } from './CgroupPanel.js';
import { StepList } from './StepList.js';

/** The column beside the text on a wide terminal: the steps, and the lesson's lab cgroup live. */
export function LessonSidebar(props: { width: number; steps: readonly StepSection[]; states: readonly StepState[]; current: number; cgroup: string | undefined; reader: CgroupStatsReader }) {
  const { plain } = useTheme();
  return (
    <Box
      flexDirection="column"
      width={props.width}
      flexShrink={0}
      paddingLeft={1}
      overflow="hidden"
      {...(plain ? { marginLeft: 1 } : { borderStyle: 'single' as const, borderTop: false, borderRight: false, borderBottom: false, borderDimColor: true })}
    >
      <StepList steps={props.steps} states={props.states} current={props.current} />
      {props.cgroup && (
        <Box marginTop={1}>
          <CgroupPanel path={props.cgroup} reader={props.reader} />
        </Box>
      )}
    </Box>
  );
}
