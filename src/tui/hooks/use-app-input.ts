import { useKeyInput } from './use-key-input.js';

/** Keys that work everywhere, even while typing: Ctrl-C quits; on the help screen any key but q closes it. */
export function useAppInput(options: { active: boolean; help: boolean; onQuit: () => void; onCloseHelp: () => void }): void {
  useKeyInput((input, key) => {
    if (key.ctrl && input === 'c') return options.onQuit();
    if (!options.help) return;
    if (input === 'q') options.onQuit();
    else options.onCloseHelp();
  }, options.active);
}
