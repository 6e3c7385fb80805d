import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProgressStore } from '../src/progress/index.js';
import { watchFiles } from '../src/workbook/index.js';
import { fakeServices, fakeWatcher, FakeWorkbook, gate, lessonMeta } from '../src/tui/testing/fake-workbook.js';
import { keys, renderApp, type RenderedTui } from '../src/tui/testing/render-app.js';
import type { CgroupStats } from '../src/cgroup/index.js';

const machineText = `# Your machine

Containers are not a kernel object. What people call a container is an ordinary process that the kernel treats a little differently, with its own namespaces and cgroups.

## Step 1: The kernel release

\`\`\`sh
uname -r
isolab answer 0.1 kernel-release "$(uname -r)"
\`\`\`

## Step 2: The cgroup mode

\`\`\`sh
stat -fc %T /sys/fs/cgroup
isolab answer 0.1 cgroup-mode <v1|hybrid|v2>
\`\`\`

## When it goes wrong

- \`stat: cannot read\`: the machine is v1.
`;

const texts = { 'orientation/machine': machineText };

/** The lessons of the tests; `store`: a real progress store, for a test where another process writes it. */
function course(store?: ProgressStore) {
  const lessons = [
    lessonMeta({
      id: 'orientation/machine',
      short: '0.1',
      title: 'Your machine',
      kind: 'live-quiz',
      trackTitle: 'Orientation',
      steps: ['The kernel release', 'The cgroup mode'],
      questions: [
        { key: 'kernel-release', prompt: 'Which kernel release is running?' },
        { key: 'cgroup-mode', prompt: 'Which cgroup mode does this machine use?' },
      ],
      hints: ['Every answer is one command away.', 'Look at /sys/fs/cgroup.', 'stat -fc %T names the filesystem.'],
      next: 'orientation/root',
    }),
    lessonMeta({ id: 'orientation/root', short: '0.2', title: 'Root and capabilities', trackTitle: 'Orientation', next: 'namespaces/uts' }),
    lessonMeta({ id: 'namespaces/uts', short: '1.1', title: 'Your own hostname', trackTitle: 'Namespaces', fastPath: true, requires: ['root'], next: 'cgroups/memory' }),
    lessonMeta({
      id: 'cgroups/memory',
      short: '2.1',
      title: 'Memory limits',
      trackTitle: 'Cgroups',
      kind: 'scenario',
      fastPath: true,
      cgroup: 'isolab/memory-lab',
      exercises: ['exercises/memory.ts'],
    }),
  ];
  const workbook = new FakeWorkbook(lessons, { 'namespaces/uts': ['needs root: open a root shell with sudo -s and run isolab there'] }, store);
  workbook.texts = texts;
  return { workbook, lessons };
}

let screen: RenderedTui | undefined;
const open = (...args: Parameters<typeof renderApp>) => (screen = renderApp(...args));
afterEach(() => screen?.unmount());

describe('home', () => {
  it('shows the environment, the progress, the tracks and every lesson with its mark', async () => {
    const { workbook } = course();
    workbook.seed((progress) => {
      progress.lessons['orientation/machine'] = { status: 'done', hintsShown: 0, attempts: 1, answers: {} };
      progress.lessons['orientation/root'] = { status: 'in-progress', hintsShown: 0, attempts: 0, answers: {} };
      progress.lastLesson = 'orientation/machine';
    });
    const frame = await open(fakeServices(workbook)).waitFor('q quit');
    expect(frame).toContain('isolab · VM (firecracker) · cgroup v2 · root');
    expect(frame).toContain('Full course · 1 of 4 lessons done');
    expect(frame).toMatch(/00 Orientation[\s\S]*01 Namespaces[\s\S]*02 Cgroups/);
    expect(frame).toMatch(/0\.1 +Your machine .*✓ done/);
    expect(frame).toMatch(/0\.2 +Root and capabilities .*… in progress/);
    expect(frame).toMatch(/1\.1 +Your own hostname ★ .*✗ locked/);
    expect(frame).toMatch(/2\.1 +Memory limits ★ .*· available/);
    // The last lesson is done, so the cursor waits on the next one.
    expect(frame).toMatch(/› 0\.2 +Root and capabilities/);
  });

  it('moves with the arrows and j/k, and shows why a locked lesson is locked and what to do', async () => {
    const { workbook } = course();
    const tui = open(fakeServices(workbook));
    await tui.waitFor('› 0.1');
    await tui.press(keys.down, '› 0.2');
    const locked = await tui.press('j', '› 1.1');
    expect(locked).toContain('Locked on this machine (Enter still opens it to read):');
    expect(locked).toContain('needs root: open a root shell with sudo -s and run isolab there');
    await tui.press('k', '› 0.2');
    await tui.press(keys.up, '› 0.1');
    // The cursor stops at the ends.
    await tui.press(keys.up, '› 0.1');
    await tui.press('G', '› 2.1');
  });

  it('filters by text and clears the filter with Esc', async () => {
    const { workbook } = course();
    const tui = open(fakeServices(workbook));
    await tui.waitFor('› 0.1');
    await tui.press('/', 'Filter: ');
    const filtered = await tui.press('memo', (frame) => frame.includes('Filter: memo') && !frame.includes('0.2 '));
    expect(filtered).toContain('› 2.1');
    expect(filtered).not.toContain('Orientation');
    await tui.press(keys.enter, '(/ to change, Esc to clear)');
    // Letters are commands again once the filter is kept: q would quit, f switches the course.
    await tui.press(keys.escape, (frame) => !frame.includes('Filter:') && frame.includes('0.2 '));
    expect(tui.lastFrame()).toContain('› 2.1');
    await tui.press('/', 'Filter: ');
    await tui.press('zzz', 'No lesson matches the filter.');
  });

  it('starts a new filter on /, so a kept filter is replaced, not added to', async () => {
    const { workbook } = course();
    const tui = open(fakeServices(workbook));
    await tui.waitFor('› 0.1');
    await tui.press('/', 'Filter: ');
    await tui.press('memo', 'Filter: memo');
    await tui.press(keys.enter, '(/ to change, Esc to clear)');
    const fresh = await tui.press('/', (frame) => /Filter: [▏_]/.test(frame));
    expect(fresh).not.toContain('Filter: memo');
    // The empty new filter shows every lesson again.
    expect(fresh).toContain('0.2 ');
    const root = await tui.press('root', 'Filter: root');
    expect(root).toContain('› 0.2');
    expect(root).not.toContain('2.1 ');
  });

  it('switches between the fast path and the full course', async () => {
    const { workbook } = course();
    const tui = open(fakeServices(workbook));
    await tui.waitFor('Full course · 0 of 4 lessons done');
    const fast = await tui.press('f', 'Fast path ★ · 0 of 2 lessons done');
    expect(fast).not.toContain('0.1 ');
    expect(fast).toContain('1.1 ');
    expect(fast).toContain('2.1 ');
    await tui.press('f', 'Full course · 0 of 4 lessons done');
  });

  it('says how far the course can go on this machine when lessons are locked here', async () => {
    const { workbook } = course();
    const tui = open(fakeServices(workbook));
    await tui.waitFor('Full course · 0 of 4 lessons done (1 locked here: can reach 75%)');
    await tui.press('f', 'Fast path ★ · 0 of 2 lessons done (1 locked here: can reach 50%)');
  });

  it('shows within a second what another terminal recorded: in the list, and in the lesson open', async () => {
    const home = mkdtempSync(join(tmpdir(), 'isolab-tui-'));
    const { workbook } = course(new ProgressStore(home, { env: {} }));
    const tui = open(fakeServices(workbook, { watchFiles }));
    await tui.waitFor('Full course · 0 of 4 lessons done');
    // `isolab verify` in the other terminal: another store on the same directory, writing by rename.
    const other = new ProgressStore(home, { env: {} });
    await other.updateLesson('orientation/root', (entry) => void (entry.status = 'done'));
    await other.updateLesson('cgroups/memory', (entry) => void (entry.status = 'done'));
    const home2 = await tui.waitFor('Full course · 2 of 4 lessons done', 1000);
    expect(home2).toMatch(/0\.2 +Root and capabilities .*✓ done/);
    await tui.press(keys.enter, 'Containers are not a kernel object');
    await other.updateLesson('orientation/machine', (entry) => void (entry.answers['kernel-release'] = '6.1.0'));
    // Answered there, not yet checked: recorded, without a ✓ of its own.
    const answered = await tui.waitFor('• 1 The kernel release', 1000);
    expect(answered).toContain('0.1 Your machine · live-quiz · 10 min  … in progress');
    await other.updateLesson('orientation/machine', (entry) => void (entry.status = 'done'));
    await tui.waitFor('0.1 Your machine · live-quiz · 10 min  ✓ done', 1000);
    expect(tui.lastFrame()).toContain('✓ 1 The kernel release');
  });

  it('opens the lesson the learner left unfinished', async () => {
    const { workbook } = course();
    workbook.seed((progress) => {
      progress.lessons['orientation/machine'] = { status: 'in-progress', hintsShown: 0, attempts: 0, answers: {} };
      progress.lastLesson = 'orientation/machine';
    });
    const frame = await open(fakeServices(workbook)).waitFor('Containers are not a kernel object');
    expect(frame).toContain('0.1 Your machine · live-quiz · 10 min  … in progress');
  });

  it('records the lesson opened as the last lesson, and Esc returns to the list at that lesson', async () => {
    const { workbook } = course();
    const tui = open(fakeServices(workbook));
    await tui.waitFor('› 0.1');
    await tui.press(keys.enter, 'Containers are not a kernel object');
    expect(workbook.lastLesson()?.id).toBe('orientation/machine');
    await tui.press(keys.escape, '› 0.1');
  });
});

describe('lesson', () => {
  async function openMachine(options: Parameters<typeof renderApp>[1] = {}) {
    const { workbook } = course();
    const services = fakeServices(workbook);
    const tui = open(services, options);
    await tui.waitFor('› 0.1');
    await tui.press(keys.enter, 'Containers are not a kernel object');
    return { tui, workbook, services };
  }

  it('renders the text, the steps and the footer keys', async () => {
    const { tui } = await openMachine();
    const frame = await tui.waitFor('Steps');
    expect(frame).toMatch(/^ Your machine +│ Steps\n ═{12} /m);
    expect(frame).toContain('│ uname -r');
    expect(frame).toMatch(/› · 1 The kernel release/);
    expect(frame).toMatch(/  · 2 The cgroup mode/);
    expect(frame).toContain('v verify  w watch  h hint  a answer');
    expect(frame).toContain('? help  q quit');
  });

  it('shows checks as they run, with what they saw and what to try, then the verdict', async () => {
    const { tui, workbook } = await openMachine();
    const first = gate();
    const second = gate();
    workbook.checks['orientation/machine'] = [
      { result: { id: 'kernel-release', title: 'kernel release', status: 'pass', message: '"6.1.0" is what this machine says' }, until: first.promise },
      {
        result: { id: 'cgroup-mode', title: 'cgroup mode', status: 'fail', message: '"v1" is not what this machine says', hint: 'Run `stat -fc %T /sys/fs/cgroup`.' },
        until: second.promise,
      },
    ];
    await tui.press('v', 'kernel release checking…');
    first.open();
    const running = await tui.waitFor('cgroup mode checking…');
    expect(running).toContain('✓ kernel release: "6.1.0" is what this machine says');
    second.open();
    const done = await tui.waitFor('Not done yet');
    expect(done).toContain('✗ cgroup mode: "v1" is not what this machine says');
    expect(done).toContain('try: Run `stat -fc %T /sys/fs/cgroup`.');
    expect(done).toContain('✗ Not done yet: 1 of 2 checks passed. h: a hint.');
    expect(workbook.calls).toEqual(['verify orientation/machine']);
  });

  it('marks the lesson done on a pass and offers the next lesson', async () => {
    const { tui, workbook } = await openMachine();
    workbook.checks['orientation/machine'] = [{ result: { id: 'kernel-release', title: 'kernel release', status: 'pass', message: 'ok' } }];
    const passed = await tui.press('v', 'Passed: 1 of 1 checks.');
    expect(passed).toContain('The lesson is done. n: next lesson, 0.2 Root and capabilities.');
    await tui.waitFor(/0\.1 Your machine · live-quiz · 10 min  ✓ done/);
    await tui.press('n', '0.2 Root and capabilities · state');
    await tui.press(keys.escape, '› 0.2');
    expect(tui.lastFrame()).toMatch(/0\.1 +Your machine .*✓ done/);
  });

  it('says both facts when a lesson done earlier fails its verify now: in the header, the list and the detail', async () => {
    const { workbook } = course();
    workbook.seed((progress) => {
      progress.lessons['orientation/machine'] = { status: 'done', hintsShown: 0, attempts: 1, answers: {}, lastVerify: { status: 'pass', at: 't', passed: 1, total: 1 } };
    });
    workbook.checks['orientation/machine'] = [{ result: { id: 'kernel-release', title: 'kernel release', status: 'fail', message: 'no answer' } }];
    const tui = open(fakeServices(workbook));
    await tui.waitFor('› 0.2');
    await tui.press(keys.up, '› 0.1');
    await tui.press(keys.enter, '0.1 Your machine · live-quiz · 10 min  ✓ done');
    await tui.press('v', 'checks passed');
    await tui.waitFor('0.1 Your machine · live-quiz · 10 min  ✓ done earlier · ✗ last verify failed (0 of 1)');
    await tui.press(keys.escape, (frame) => !frame.includes('checks passed'));
    const home = await tui.press(keys.escape, '› 0.1');
    // The pass happened and still counts; the list marks the later failure, the detail spells it out.
    expect(home).toContain('Full course · 1 of 4 lessons done');
    expect(home).toMatch(/› 0\.1 +Your machine .*✓ done \(last ✗\)/);
    expect(home).toContain('live-quiz · 10 min · 2 steps · 2 questions  ✓ done earlier · ✗ last verify failed (0 of 1)');
    expect(home).toContain('Done earlier, and still counted; the last verify failed.');
  });

  it('gives one more hint per press, and the hint of the last verify', async () => {
    const { tui, workbook } = await openMachine();
    workbook.checks['orientation/machine'] = [
      { result: { id: 'cgroup-mode', title: 'cgroup mode', status: 'fail', message: 'no answer recorded yet', hint: 'Run `stat -fc %T /sys/fs/cgroup`.' } },
    ];
    await tui.press('v', 'Not done yet');
    const one = await tui.press('h', 'Hints · 1 of 3');
    expect(one).toContain('1.  Every answer is one command away.');
    expect(one).not.toContain('Look at /sys/fs/cgroup.');
    expect(one).toContain('From your last verify: Run `stat -fc %T /sys/fs/cgroup`.');
    const two = await tui.press('h', 'Hints · 2 of 3');
    expect(two).toContain('2.  Look at /sys/fs/cgroup.');
    await tui.press('h', 'Hints · 3 of 3');
    await tui.press('h', 'That is every hint.');
  });

  it('takes answers to the questions and records them through the workbook', async () => {
    const { tui, workbook } = await openMachine();
    await tui.press('a', 'kernel-release: ');
    await tui.press('6.1.0-x', 'kernel-release: 6.1.0-x');
    await tui.press(keys.backspace, (frame) => frame.includes('kernel-release: 6.1.0-') && !frame.includes('6.1.0-x'));
    await tui.press('q', 'kernel-release: 6.1.0-q');
    const saved = await tui.press(keys.enter, 'cgroup-mode: ');
    // Recorded is not correct: no ✓ until a check has judged this answer.
    expect(saved).toContain('• Which kernel release is running?  recorded: 6.1.0-q (not checked yet: v verifies)');
    expect(saved).toContain('Recorded kernel-release.');
    // A paste and Enter may arrive in one read.
    await tui.press('v2\r', 'Every question has an answer');
    expect(workbook.calls).toEqual(['answer orientation/machine kernel-release=6.1.0-q', 'answer orientation/machine cgroup-mode=v2']);
    // Both steps record answers, and both are answered now, but not proved.
    await tui.press(keys.escape, '• 2 The cgroup mode');
    expect(tui.lastFrame()).toContain('• 1 The kernel release');
    // The checks judge them: the right one gets its ✓, the wrong one a ✗.
    workbook.checks['orientation/machine'] = [
      { result: { id: 'kernel-release', title: 'kernel release', status: 'pass', message: 'ok', observed: { answer: '6.1.0-q', truth: '6.1.0-q' } } },
      { result: { id: 'cgroup-mode', title: 'cgroup mode', status: 'fail', message: '"v2" is not what this machine says', observed: { answer: 'v2' } } },
    ];
    await tui.press('v', '✗ 2 The cgroup mode');
    expect(tui.lastFrame()).toContain('✓ 1 The kernel release');
    const judged = await tui.press('a', 'cgroup-mode: ');
    expect(judged).toContain('✓ Which kernel release is running?  recorded: 6.1.0-q');
    expect(judged).toContain('recorded: v2 (not what this machine says)');
  });

  it('jumps between steps and prints the current step’s commands', async () => {
    const { tui, services } = await openMachine({ rows: 20 });
    await tui.press(']', /^ Step 1: The kernel release/m);
    await tui.press(']', /› · 2 The cgroup mode/);
    await tui.press('c', (frame) => frame.length > 0 && services.terminal.calls.length === 1);
    expect(services.terminal.calls).toEqual(['commands 0.1 Step 2: The cgroup mode: stat -fc %T /sys/fs/cgroup\nisolab answer 0.1 cgroup-mode <v1|hybrid|v2>']);
    await tui.press('1', /› · 1 The kernel release/);
    await tui.press('s', 'Back from bash.');
    expect(services.terminal.calls[1]).toBe('shell /workspace');
  });

  it('scrolls the text by line and by page', async () => {
    const { tui } = await openMachine({ rows: 16 });
    const top = await tui.waitFor('Containers are not');
    expect(top).toMatch(/^ Your machine/m);
    await tui.press('j', (frame) => !/^ Your machine/m.test(frame));
    await tui.press(keys.pageDown, /When it goes wrong|cgroup mode/);
    await tui.press('g', /^ Your machine/m);
    await tui.press('G', 'the machine is v1');
  });

  it('re-flows the text to the width on resize and keeps the reader’s place', async () => {
    const { tui } = await openMachine();
    const wide = await tui.waitFor('Steps');
    expect(wide).toContain(' Containers are not a kernel object. What people call a container is an ordinary      │');
    tui.resize(60, 30);
    const narrow = await tui.waitFor((frame) => !frame.includes('Steps'));
    expect(narrow).toContain(' Containers are not a kernel object. What people call a');
    expect(narrow.split('\n').filter((line) => line.length > 60)).toEqual([]);
    // Without the sidebar the header names the step.
    expect(narrow).toContain('Step 1/2 The kernel release');
    await tui.press(']', /^ Step 1: The kernel release/m);
    await tui.press(']', /^ Step 2: The cgroup mode/m);
    tui.resize(120, 40);
    // The step that was at the top stays at the top.
    await tui.waitFor((frame) => frame.includes('Steps') && /^ Step 2: The cgroup mode/m.test(frame));
  });

  async function openMemory() {
    const { workbook } = course();
    const watcher = fakeWatcher();
    const services = fakeServices(workbook, { watchFiles: watcher.watchFiles });
    const tui = open(services);
    await tui.waitFor('› 0.1');
    await tui.press('G', '› 2.1');
    await tui.press(keys.enter, '2.1 Memory limits · scenario');
    return { tui, workbook, watcher };
  }

  it('watches: re-runs every check, the experiments too, when a file changes; records a pass, not a failure', async () => {
    const { tui, workbook, watcher } = await openMemory();
    workbook.checks['cgroups/memory'] = [
      { result: { id: 'limit', title: 'memory.max is set', status: 'fail', message: 'memory.max is max', hint: 'Write 64M to memory.max.' } },
      { result: { id: 'oom', title: 'the workload is killed', status: 'pass', message: 'killed' }, tag: 'experiment' },
    ];
    const first = await tui.press('w', 'run 1');
    expect(first).toContain('✗ memory.max is set: memory.max is max');
    expect(first).toContain('✓ the workload is killed: killed');
    expect(first).toContain('w watch: on');
    // The workbook watches the progress file from the start; watch mode adds the lesson's exercises.
    expect(watcher.watched).toEqual([['/workspace/.isolab/progress.json'], ['/workspace/exercises/memory.ts']]);
    // A failing watch run is not an attempt.
    expect(workbook.lessonProgress(workbook.catalog.require('cgroups/memory'))).toBeUndefined();
    workbook.checks['cgroups/memory'][0] = { result: { id: 'limit', title: 'memory.max is set', status: 'pass', message: 'memory.max is 64M' } };
    watcher.change();
    const second = await tui.waitFor('run 2');
    expect(second).toContain('✓ memory.max is set: memory.max is 64M');
    expect(second).toContain('✓ Passed: 2 of 2 checks. The lesson is done.');
    expect(workbook.calls).toEqual(['verify cgroups/memory record:pass', 'verify cgroups/memory record:pass']);
    // A passing one is recorded as v would: the learner is not asked to verify again.
    expect(workbook.lessonProgress(workbook.catalog.require('cgroups/memory'))).toMatchObject({ status: 'done', attempts: 1 });
    await tui.waitFor('✓ 2.1 is done.');
    await tui.press('w', 'Watch is off.');
  });

  it('verifies on v while watching: the watch run in progress is cancelled and the verify result shown', async () => {
    const { tui, workbook } = await openMemory();
    const slow = gate();
    workbook.checks['cgroups/memory'] = [{ result: { id: 'limit', title: 'memory.max is set', status: 'fail', message: 'memory.max is max' }, until: slow.promise }];
    await tui.press('w', 'memory.max is set checking…');
    await tui.press('v', /^ Verify$/m);
    slow.open();
    const verified = await tui.waitFor('✗ Not done yet: 0 of 1 checks passed.');
    expect(verified).toMatch(/^ Verify$/m);
    expect(verified).toContain('✗ memory.max is set: memory.max is max');
    expect(workbook.calls).toEqual(['verify cgroups/memory record:pass', 'verify cgroups/memory']);
    expect(workbook.lessonProgress(workbook.catalog.require('cgroups/memory'))).toMatchObject({ attempts: 1, lastVerify: { status: 'fail' } });
  });

  it('runs the setup of a scenario lesson', async () => {
    const { workbook } = course();
    const tui = open(fakeServices(workbook));
    await tui.waitFor('› 0.1');
    await tui.press('G', '› 2.1');
    const lesson = await tui.press(keys.enter, 't set up');
    expect(lesson).toContain('2.1 Memory limits');
    await tui.press('t', 'Set up 2.1: the lab is ready.');
    expect(workbook.calls).toContain('start cgroups/memory');
    await tui.waitFor('… in progress');
  });

  it('shows the lab cgroup live from the stats reader', async () => {
    const { workbook } = course();
    let reads = 0;
    const stats: CgroupStats = {
      name: 'isolab/memory-lab',
      version: 'v2',
      processes: [10, 11],
      memory: { current: 12 * 1024 * 1024, peak: null, max: 64 * 1024 * 1024, events: {} },
      cpu: { usageUsec: 100, periods: 20, throttled: 3, throttledUsec: 5, max: '20000 100000', weight: 100 },
      pids: { current: 2, max: 'max', events: {} },
      pressure: null,
    };
    const services = fakeServices(workbook, {
      cgroupReader: async (path) => {
        reads++;
        expect(path).toBe('isolab/memory-lab');
        return reads === 1 ? { state: 'absent' } : { state: 'present', stats };
      },
    });
    const tui = open(services);
    await tui.waitFor('› 0.1');
    await tui.press('G', '› 2.1');
    await tui.press(keys.enter, 'cgroup isolab/memory-lab');
    await tui.waitFor('not created yet');
    const live = await tui.waitFor('12.0 MiB of 64.0 MiB', 3000);
    expect(live).toContain('cgroup isolab/memory-lab (v2)');
    expect(live).toMatch(/cpu +throttled 3 times/);
    expect(live).toMatch(/pids +2 of no limit/);
    expect(live).toMatch(/memory +████░{16} 19%/);
  });

  it('opens a locked lesson to read; verify says why it is locked', async () => {
    const { workbook } = course();
    const tui = open(fakeServices(workbook));
    await tui.waitFor('› 0.1');
    await tui.press(keys.down, '› 0.2');
    await tui.press(keys.down, '› 1.1');
    await tui.press(keys.enter, '1.1 Your own hostname');
    const locked = await tui.press('v', '✗ Locked on this machine:');
    expect(locked).toContain('- needs root: open a root shell with sudo -s');
  });
});

describe('app', () => {
  it('shows the keys of the screen on ? and closes the help on any key', async () => {
    const { workbook } = course();
    const tui = open(fakeServices(workbook));
    await tui.waitFor('› 0.1');
    const help = await tui.press('?', 'Any key closes this help; q quits.');
    expect(help).toContain('Filter lessons by text; Enter keeps the filter, Esc clears it.');
    expect(help).toContain('Lessons: ✓ done · … in progress · · available · ✗ locked');
    expect(help).toContain('✓ done (last ✗): passed earlier, and still counted; the latest verify failed');
    await tui.press('x', '› 0.1');
  });

  it('quits on q and on Ctrl-C, letting go of the terminal', async () => {
    for (const key of ['q', keys.ctrlC]) {
      const { workbook } = course();
      const tui = open(fakeServices(workbook));
      await tui.waitFor('› 0.1');
      const stdin = tui.stdin as unknown as NodeJS.EventEmitter;
      expect(stdin.listenerCount('readable')).toBeGreaterThan(0);
      tui.stdin.write(key);
      await expect.poll(() => stdin.listenerCount('readable')).toBe(0);
    }
  });

  it('draws no box-drawing characters with --plain, and marks code without colour', async () => {
    const { workbook } = course();
    const tui = open(fakeServices(workbook), { plain: true, color: false });
    const home = await tui.waitFor('> 0.1');
    expect(home).not.toMatch(/[─│┃═╭╮╯╰┼█░⠋]/);
    const lesson = await tui.press(keys.enter, 'Containers are not');
    expect(lesson).not.toMatch(/[─│┃═╭╮╯╰┼█░⠋]/);
    expect(lesson).toMatch(/^ Your machine +Steps\n ={12} /m);
    expect(lesson).toContain('    uname -r');
    // Without colour, the steps and checks still carry symbols and words.
    expect(lesson).toContain('> · 1 The kernel release');
  });
});
