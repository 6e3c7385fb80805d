import { afterEach, describe, expect, it } from 'vitest';
import { filterKeys, homeKeys, lessonKeys, quizKeys } from '../src/tui/keys.js';
import { fakeServices, FakeWorkbook, lessonMeta } from '../src/tui/testing/fake-workbook.js';
import { keys, renderApp, type RenderedTui } from '../src/tui/testing/render-app.js';

// Every key the footer and the help screen name is pressed here and does what its label says. A key added to
// src/tui/keys.ts without a case here fails the coverage test at the end.

const text = `# Scenario

${'A paragraph long enough to need scrolling. '.repeat(30)}

## Step 1: Break it

\`\`\`sh
cgroup-tool set isolab/lab memory.max=1M
isolab answer 2.1 limit 1M
\`\`\`

## Step 2: Fix it

\`\`\`sh
cgroup-tool set isolab/lab memory.max=64M
\`\`\`
`;

function setup() {
  const lessons = [
    lessonMeta({
      id: 'cgroups/scenario',
      short: '2.1',
      title: 'A broken limit',
      kind: 'scenario',
      steps: ['Break it', 'Fix it'],
      questions: [{ key: 'limit', prompt: 'Which limit did you set?' }],
      next: 'cgroups/next',
    }),
    lessonMeta({ id: 'cgroups/next', short: '2.2', title: 'The next one', fastPath: true }),
  ];
  const workbook = new FakeWorkbook(lessons);
  workbook.checks['cgroups/scenario'] = [{ result: { id: 'limit', title: 'the limit', status: 'fail', message: 'memory.max is 1M', hint: 'Set 64M.' } }];
  workbook.texts = { 'cgroups/scenario': text };
  const services = fakeServices(workbook);
  return { workbook, services };
}

let tui: RenderedTui | undefined;
afterEach(() => tui?.unmount());

async function home() {
  const context = setup();
  tui = renderApp(context.services, { rows: 24 });
  await tui.waitFor('› 2.1');
  return { ...context, tui };
}

async function lesson() {
  const context = await home();
  await context.tui.press(keys.enter, 'A paragraph long enough');
  return context;
}

/** A lesson this machine locks; `lifted`: for what a lab VM gives (l opens it there). */
async function lockedLesson(lifted: boolean) {
  const lessons = [lessonMeta({ id: 'cgroups/memory', short: '2.3', title: 'Memory', kind: 'code' })];
  const workbook = new FakeWorkbook(lessons, { 'cgroups/memory': ['needs cgroup v2 with controllers: run it in a lab VM: isolab vm'] });
  if (lifted) workbook.liftedByLabVm.add('cgroups/memory');
  const services = fakeServices(workbook);
  tui = renderApp(services, { rows: 24 });
  await tui.waitFor('› 2.3');
  await tui.press(keys.enter, 'No text.');
  return { workbook, services, tui };
}

const letGo = (screen: RenderedTui) => {
  const stdin = screen.stdin as unknown as NodeJS.EventEmitter;
  return expect.poll(() => stdin.listenerCount('readable')).toBe(0);
};

const cases: Record<string, Record<string, () => Promise<void>>> = {
  home: {
    '↑↓': async () => {
      const { tui } = await home();
      await tui.press(keys.down, '› 2.2');
      await tui.press(keys.up, '› 2.1');
    },
    Enter: async () => {
      const { tui } = await home();
      await tui.press(keys.enter, '2.1 A broken limit · scenario');
    },
    '/': async () => {
      const { tui } = await home();
      await tui.press('/', 'Filter: ');
    },
    f: async () => {
      const { tui } = await home();
      await tui.press('f', 'Fast path ★ · 0 of 1 lessons done');
    },
    '?': async () => {
      const { tui } = await home();
      await tui.press('?', 'Any key closes this help');
    },
    q: async () => {
      const { tui } = await home();
      tui.stdin.write('q');
      await letGo(tui);
    },
  },
  filter: {
    type: async () => {
      const { tui } = await home();
      await tui.press('/', 'Filter: ');
      await tui.press('next', (frame) => frame.includes('Filter: next') && !frame.includes('2.1 '));
    },
    Enter: async () => {
      const { tui } = await home();
      await tui.press('/', 'Filter: ');
      await tui.press('next', 'Filter: next');
      await tui.press(keys.enter, '(/ to change, Esc to clear)');
    },
    Esc: async () => {
      const { tui } = await home();
      await tui.press('/', 'Filter: ');
      await tui.press('next', 'Filter: next');
      await tui.press(keys.escape, (frame) => !frame.includes('Filter:') && frame.includes('2.1 '));
    },
    'Ctrl-C': async () => {
      const { tui } = await home();
      await tui.press('/', 'Filter: ');
      tui.stdin.write(keys.ctrlC);
      await letGo(tui);
    },
  },
  lesson: {
    '↑↓': async () => {
      const { tui } = await lesson();
      await tui.press(keys.down, (frame) => !/^ Scenario/m.test(frame));
      await tui.press(keys.up, /^ Scenario/m);
    },
    '[ ]': async () => {
      const { tui } = await lesson();
      await tui.press(']', /^ Step 1: Break it/m);
      await tui.press(']', /^ Step 2: Fix it/m);
      await tui.press('[', /^ Step 1: Break it/m);
    },
    v: async () => {
      const { tui, workbook } = await lesson();
      await tui.press('v', '✗ Not done yet: 0 of 1 checks passed.');
      expect(workbook.calls).toEqual(['verify cgroups/scenario']);
    },
    w: async () => {
      const { tui, workbook } = await lesson();
      await tui.press('w', 'w watch: on');
      await tui.waitFor('run 1');
      expect(workbook.calls[0]).toBe('verify cgroups/scenario record:pass');
    },
    h: async () => {
      const { tui } = await lesson();
      await tui.press('h', 'Hints · 1 of 2');
    },
    a: async () => {
      const { tui } = await lesson();
      await tui.press('a', 'limit: ');
    },
    t: async () => {
      const { tui, workbook } = await lesson();
      await tui.press('t', 'Set up 2.1: the lab is ready.');
      expect(workbook.calls).toEqual(['start cgroups/scenario']);
    },
    c: async () => {
      const { tui, services } = await lesson();
      await tui.press(']', /^ Step 1: Break it/m);
      await tui.press('c', () => services.terminal.calls.length === 1);
      expect(services.terminal.calls[0]).toBe('commands 2.1 Step 1: Break it: cgroup-tool set isolab/lab memory.max=1M\nisolab answer 2.1 limit 1M');
    },
    s: async () => {
      const { tui, services } = await lesson();
      await tui.press('s', 'Back from bash.');
      expect(services.terminal.calls).toEqual(['shell /workspace']);
    },
    x: async () => {
      const { tui, workbook } = await lesson();
      await tui.press('x', 'Cleaned up 2.1: its lab is removed; your progress is kept.');
      expect(workbook.calls).toEqual(['cleanup cgroups/scenario']);
    },
    n: async () => {
      const { tui } = await lesson();
      await tui.press('n', '2.2 The next one · state');
    },
    Esc: async () => {
      const { tui } = await lesson();
      await tui.press('h', 'Hints · 1 of 2');
      await tui.press(keys.escape, (frame) => !frame.includes('Hints ·') && frame.includes('Esc back'));
      await tui.press(keys.escape, '› 2.1');
    },
    '?': async () => {
      const { tui } = await lesson();
      await tui.press('?', 'Lesson 2.1');
      await tui.press(' ', 'A paragraph long enough');
    },
    q: async () => {
      const { tui } = await lesson();
      tui.stdin.write('q');
      await letGo(tui);
    },
  },
  answers: {
    type: async () => {
      const { tui } = await lesson();
      await tui.press('a', 'limit: ');
      await tui.press('1M', 'limit: 1M');
    },
    Enter: async () => {
      const { tui, workbook } = await lesson();
      await tui.press('a', 'limit: ');
      await tui.press('1M', 'limit: 1M');
      await tui.press(keys.enter, 'recorded: 1M');
      expect(workbook.calls).toEqual(['answer cgroups/scenario limit=1M']);
    },
    '↑↓': async () => {
      const { tui } = await lesson();
      await tui.press('a', 'limit: ');
      // One question: moving keeps it selected and clears the draft.
      await tui.press('x', 'limit: x');
      await tui.press(keys.down, (frame) => frame.includes('limit: ') && !frame.includes('limit: x'));
    },
    Esc: async () => {
      const { tui } = await lesson();
      await tui.press('a', 'limit: ');
      await tui.press(keys.escape, (frame) => !frame.includes('Answers ·'));
    },
    'Ctrl-C': async () => {
      const { tui } = await lesson();
      await tui.press('a', 'limit: ');
      tui.stdin.write(keys.ctrlC);
      await letGo(tui);
    },
  },
  'locked lesson': {
    l: async () => {
      const { tui, services } = await lockedLesson(true);
      await tui.waitFor('l lab VM');
      await tui.press('l', 'Back from the lab VM');
      expect(services.terminal.calls).toEqual(['lab-vm cgroups/memory']);
    },
  },
};

describe('every key the workbook shows does what it says', () => {
  for (const [screen, byKey] of Object.entries(cases)) {
    for (const [key, run] of Object.entries(byKey)) it(`${screen}: ${key}`, run);
  }

  it('has a case for every key in src/tui/keys.ts', () => {
    const { workbook } = setup();
    const scenario = workbook.catalog.get('2.1')!;
    expect(Object.keys(cases.home!).sort()).toEqual(homeKeys.map((key) => key.keys).sort());
    expect(Object.keys(cases.filter!).sort()).toEqual(filterKeys.map((key) => key.keys).sort());
    expect(Object.keys(cases.lesson!).sort()).toEqual(lessonKeys({ lesson: scenario, watching: false }).map((key) => key.keys).sort());
    expect(Object.keys(cases.answers!).sort()).toEqual(quizKeys.map((key) => key.keys).sort());
    const lessonOnly = new Set(lessonKeys({ lesson: scenario, watching: false }).map((key) => key.keys));
    expect(lessonKeys({ lesson: scenario, watching: false, labVm: true }).map((key) => key.keys).filter((key) => !lessonOnly.has(key))).toEqual(Object.keys(cases['locked lesson']!));
  });

  it('does not offer l where a lab VM would not lift the lock, and says so when pressed', async () => {
    const { tui, services } = await lockedLesson(false);
    expect(tui.lastFrame()).toContain('s shell');
    expect(tui.lastFrame()).not.toContain('l lab VM');
    await tui.press('l', 'A lab VM would not lift what locks 2.3 here.');
    expect(services.terminal.calls).toEqual([]);
  });
});
