import type { LessonMeta } from '../lessons/index.js';

/** A key as the footer shows it (short) and the help screen explains it (long). */
export interface KeyHelp {
  keys: string;
  label: string;
  help: string;
}

// The footer and the help screen are drawn from these lists, and the input hooks implement exactly them
// (test/tui-keys.test.tsx presses every one), so what the screen promises is what the keys do.

// Help and quit mean the same on every screen that is not typing.
const helpKey: KeyHelp = { keys: '?', label: 'help', help: 'Show or hide this help.' };
const quitKey: KeyHelp = { keys: 'q', label: 'quit', help: 'Quit (Ctrl-C too). Progress is saved as you go.' };

/**
 * A screen that takes typing (the filter, the answers): q and ? are letters there, so only Ctrl-C quits.
 * Each entry is a key's label and help.
 */
function typingKeys(keys: { type: [string, string]; enter: [string, string]; move?: [string, string]; esc: [string, string] }): KeyHelp[] {
  const entry = (key: string, [label, help]: [string, string]): KeyHelp => ({ keys: key, label, help });
  return [
    entry('type', keys.type),
    entry('Enter', keys.enter),
    ...(keys.move ? [entry('↑↓', keys.move)] : []),
    entry('Esc', keys.esc),
    { keys: 'Ctrl-C', label: 'quit', help: 'Quit.' },
  ];
}

export const homeKeys: readonly KeyHelp[] = [
  { keys: '↑↓', label: 'move', help: 'Move between lessons (also j/k, PgUp/PgDn, Home/End).' },
  { keys: 'Enter', label: 'open', help: 'Open the lesson under the cursor (locked lessons open too, to read).' },
  { keys: '/', label: 'filter', help: 'Filter lessons by text; Enter keeps the filter, Esc clears it.' },
  { keys: 'f', label: 'fast path/full', help: 'Switch between the fast path (★) and the full course.' },
  helpKey,
  quitKey,
];

export const filterKeys: readonly KeyHelp[] = typingKeys({
  type: ['filter', 'Type words to match in the id, title, kind or track.'],
  enter: ['keep', 'Keep the filter and move in the list.'],
  esc: ['clear', 'Clear the filter.'],
});

export const quizKeys: readonly KeyHelp[] = typingKeys({
  type: ['answer', 'Type the answer to the selected question.'],
  enter: ['save', 'Record the answer and go to the next question (empty: just move on).'],
  move: ['question', 'Choose another question (Tab too).'],
  esc: ['close', 'Close the answers.'],
});

export interface LessonKeyContext {
  lesson: Pick<LessonMeta, 'kind' | 'questions' | 'next'>;
  watching: boolean;
  /** The lesson is locked here for what a lab VM gives (l opens it there). */
  labVm?: boolean;
}

export function lessonKeys({ lesson, watching, labVm = false }: LessonKeyContext): KeyHelp[] {
  return [
    { keys: '↑↓', label: 'scroll', help: 'Scroll the text (also j/k, PgUp/PgDn, Space, Home/End).' },
    { keys: '[ ]', label: 'step', help: 'Jump to the previous or next step (1–9 jump to that step).' },
    { keys: 'v', label: 'verify', help: 'Check your work on the live kernel and record the result.' },
    {
      keys: 'w',
      label: watching ? 'watch: on' : 'watch',
      help: lesson.kind === 'code'
        ? 'Re-run every check when you save an exercise file; a pass is recorded, a failing run is not counted.'
        : 'Re-run every check every 2 s; a pass is recorded, a failing run is not counted.',
    },
    { keys: 'h', label: 'hint', help: 'Show one more hint.' },
    ...(lesson.questions.length > 0 ? [{ keys: 'a', label: 'answer', help: "Type your answers to the lesson's questions." }] : []),
    ...(lesson.kind === 'scenario' ? [{ keys: 't', label: 'set up', help: "Run the lesson's setup (a scenario breaks something here)." }] : []),
    { keys: 'c', label: 'commands', help: "Print the current step's commands plainly, to select and copy; Enter comes back." },
    { keys: 's', label: 'shell', help: 'Open your $SHELL in the checkout; `exit` comes back here.' },
    ...(labVm
      ? [{ keys: 'l', label: 'lab VM', help: 'Open this lesson in a lab VM (isolab vm: cgroup v2 under qemu, your checkout shared); quitting the workbook there comes back here.' }]
      : []),
    { keys: 'x', label: 'clean up', help: 'Remove what the lesson made on this machine (its lab); progress is kept.' },
    ...(lesson.next ? [{ keys: 'n', label: 'next', help: 'Open the next lesson.' }] : []),
    { keys: 'Esc', label: 'back', help: 'Back to the list of lessons.' },
    helpKey,
    quitKey,
  ];
}
