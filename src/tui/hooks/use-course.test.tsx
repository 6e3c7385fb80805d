import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Text } from 'ink';
import { afterEach, describe, expect, it } from 'vitest';
import { ProgressStore } from '../../progress/index.js';
import { watchFiles } from '../../workbook/index.js';
import type { FileWatcher, WorkbookApi } from '../services.js';
import { FakeWorkbook, lessonMeta } from '../testing/fake-workbook.js';
import { renderTui, type RenderedTui } from '../testing/render-app.js';
import { useCourse, type CourseSync } from './use-course.js';

const lessons = [lessonMeta({ id: 'orientation/machine', short: '0.1', title: 'Your machine' }), lessonMeta({ id: 'orientation/root', short: '0.2', title: 'Root' })];
const noWatch: FileWatcher = () => () => {};

/** What the hook holds, one line: how many lessons are done and the answers of 0.1. */
function Probe({ workbook, sync }: { workbook: WorkbookApi; sync: CourseSync }) {
  const course = useCourse(workbook, sync, 'orientation/machine');
  const done = course.list.lessons.filter((entry) => entry.status === 'done').length;
  return <Text>{`done ${done} · answers ${JSON.stringify(course.progress?.answers ?? {})}`}</Text>;
}

/** Another process (another terminal's `isolab verify`): its own store on the same directory. */
const otherProcess = (home: string) => new ProgressStore(home, { env: {} });

let screen: RenderedTui | undefined;
afterEach(() => screen?.unmount());

function setUp(home: string, sync: CourseSync) {
  const workbook = new FakeWorkbook(lessons, {}, new ProgressStore(home, { env: {} }));
  screen = renderTui(<Probe workbook={workbook} sync={sync} />);
  return screen;
}

describe('useCourse', () => {
  it('sees progress another process wrote by renaming a temporary file over progress.json (the directory is watched)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'isolab-course-'));
    // The file is looked at only once a minute: within the test, only the directory watch can see the change.
    const tui = setUp(home, { active: true, watchFiles: (paths, onChange) => watchFiles(paths, onChange, 60_000) });
    await tui.waitFor('done 0');
    await otherProcess(home).updateLesson('orientation/machine', (entry) => void (entry.status = 'done'));
    await tui.waitFor('done 1', 1000);
    await otherProcess(home).updateLesson('orientation/machine', (entry) => void (entry.answers.uid = '0'));
    await tui.waitFor('answers {"uid":"0"}', 1000);
  });

  it("falls back to the file's own poll when the directory cannot be watched (it does not exist yet)", async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'isolab-course-')), '.isolab');
    const tui = setUp(home, { active: true, watchFiles: (paths, onChange) => watchFiles(paths, onChange, 300) });
    await tui.waitFor('done 0');
    await otherProcess(home).updateLesson('orientation/root', (entry) => void (entry.status = 'done'));
    await tui.waitFor('done 1', 1000);
  });

  it('reads nothing while the terminal is handed to a shell, and reads again on return', async () => {
    const home = mkdtempSync(join(tmpdir(), 'isolab-course-'));
    mkdirSync(home, { recursive: true });
    const workbook = new FakeWorkbook(lessons, {}, new ProgressStore(home, { env: {} }));
    const tui = (screen = renderTui(<Probe workbook={workbook} sync={{ active: false, watchFiles: (paths, onChange) => watchFiles(paths, onChange, 50) }} />));
    await tui.waitFor('done 0');
    await otherProcess(home).updateLesson('orientation/root', (entry) => void (entry.status = 'done'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(tui.lastFrame()).toContain('done 0');
    tui.rerender(<Probe workbook={workbook} sync={{ active: true, watchFiles: noWatch }} />);
    await tui.waitFor('done 1', 1000);
  });
});
