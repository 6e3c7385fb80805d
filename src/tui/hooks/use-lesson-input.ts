import type { Dispatch } from 'react';
import { useKeyInput } from './use-key-input.js';
import type { PagerAction } from './use-pager-state.js';

/** What the lesson's keys ask for; `use-lesson-commands.ts` does the work. */
export type LessonCommand =
  | 'verify'
  | 'watch'
  | 'hint'
  | 'answer'
  | 'setup'
  | 'commands'
  | 'shell'
  | 'lab-vm'
  | 'cleanup'
  | 'next-lesson'
  | 'back'
  | 'help'
  | 'quit'
  | 'previous-step'
  | 'next-step';

const commandKeys: Record<string, LessonCommand> = {
  v: 'verify',
  w: 'watch',
  h: 'hint',
  a: 'answer',
  t: 'setup',
  c: 'commands',
  s: 'shell',
  l: 'lab-vm',
  x: 'cleanup',
  n: 'next-lesson',
  '[': 'previous-step',
  ']': 'next-step',
  '?': 'help',
  q: 'quit',
};

/** The lesson screen's keys (src/tui/keys.ts lists them for the footer and help). */
export function useLessonInput(options: {
  active: boolean;
  pager: Dispatch<PagerAction>;
  onCommand: (command: LessonCommand) => void;
  onStep: (number: number) => void;
}): void {
  const { pager, onCommand, onStep } = options;
  useKeyInput((input, key) => {
    if (key.upArrow) return pager({ type: 'scroll', by: -1 });
    if (key.downArrow) return pager({ type: 'scroll', by: 1 });
    if (key.pageUp) return pager({ type: 'page', by: -1 });
    if (key.pageDown) return pager({ type: 'page', by: 1 });
    if (key.home) return pager({ type: 'top' });
    if (key.end) return pager({ type: 'bottom' });
    if (key.escape || key.leftArrow) return onCommand('back');
    if (key.ctrl || key.meta) return;
    switch (input) {
      case 'k':
        return pager({ type: 'scroll', by: -1 });
      case 'j':
        return pager({ type: 'scroll', by: 1 });
      case ' ':
        return pager({ type: 'page', by: 1 });
      case 'b':
        return pager({ type: 'page', by: -1 });
      case 'g':
        return pager({ type: 'top' });
      case 'G':
        return pager({ type: 'bottom' });
    }
    if (/^[1-9]$/.test(input)) return onStep(Number(input));
    const command = commandKeys[input];
    if (command) onCommand(command);
  }, options.active);
}
